// The logged-in partner's performance per banner, sub-ID (data1, data2), landing page or coupon
// over a period, as JSON (the portal's tables) or CSV (the same rows).
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { dayRangeSchema } from '../domain/day-range';
import { performanceCsv } from '../domain/performance';
import { dimensions } from '../domain/stat-layout';
import { requirePartner } from '../http/auth';
import { countersAnswer, day } from '../http/answers';
import type { Operation } from '../http/openapi';
import { partnerPerformance } from '../services/performance';

const performanceQuery = dayRangeSchema(() => new Date(), { by: z.enum(dimensions).default('banner') });

export function performanceRoutes(context: Context): Router {
  const router = Router();
  const partner = requirePartner(context);
  const partnerId = (caller: unknown) => (caller as { partnerId: string }).partnerId;

  router.get('/v1/me/performance', partner, async (req, res) => {
    const { by, ...range } = performanceQuery.parse(req.query);
    res.json(await partnerPerformance(context, partnerId(req.caller), range, by));
  });

  router.get('/v1/me/performance.csv', partner, async (req, res) => {
    const { by, ...range } = performanceQuery.parse(req.query);
    const view = await partnerPerformance(context, partnerId(req.caller), range, by);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`ashop-performance-${by}-${view.from}-${view.to}.csv`)
      .send(performanceCsv(view));
  });

  return router;
}

const figures = countersAnswer.extend({
  conversionBasisPoints: z.number().int().nullable(),
  epc: z.number().int().nullable(),
});
const performanceAnswer = z.strictObject({
  from: day,
  to: day,
  currency: z.string(),
  by: z.enum(dimensions),
  rows: z.array(figures.extend({ key: z.string().nullable() })),
  total: figures,
});

const rules =
  'Conversion rate: signups ÷ unique clicks, in basis points (1234 = 12.34 %); EPC: earnings per 100 clicks in minor units; both rounded half away from zero, null without clicks. `by`: banner, data1, data2, page (landing page) or coupon; period as in /v1/me/stats.';

export const performanceDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/me/performance',
    summary: `Clicks, unique clicks, signups, paying customers, revenue, earnings, conversion rate and EPC per banner, sub-ID, landing page or coupon. ${rules}`,
    auth: 'partner',
    query: performanceQuery,
    responses: { '200': '`{from, to, currency, by, rows[{key, …counters, conversionBasisPoints, epc}], total}`.' },
    answer: performanceAnswer,
  },
  {
    method: 'get',
    path: '/v1/me/performance.csv',
    summary: `The same rows as CSV (money and percent as decimals, the total last). ${rules}`,
    auth: 'partner',
    query: performanceQuery,
    responses: { '200': 'CSV (RFC 4180).' },
    produces: 'text/csv',
  },
];
