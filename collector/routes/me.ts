// The logged-in partner's own data, and only theirs: every query is keyed by the token's partner.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { emailSchema, nameSchema, websiteSchema } from '../domain/account-fields';
import { toCsv } from '../domain/csv';
import { dayRangeSchema } from '../domain/day-range';
import { formatMinor } from '../domain/money';
import { requirePartner } from '../http/auth';
import { HttpProblem } from '../http/problem';
import { partnerProfile, updateProfile } from '../services/partner-accounts';
import { partnerPayouts } from '../services/partner-payouts';
import { commissionLines, partnerStats } from '../services/reports';
import { listOf, partnerAnswer, partnerPayoutAnswer } from '../http/answers';
import type { Operation } from '../http/openapi';

const profileBody = z
  .object({
    name: nameSchema.optional(),
    payoutEmail: emailSchema.nullable().optional(),
    website: websiteSchema.nullable().optional(),
  })
  .strict();
const statsQuery = dayRangeSchema(() => new Date());

const statuses = ['pending', 'payable', 'paid', 'reversed'] as const;
const listQuery = z.object({
  status: z.enum(statuses).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const reportQuery = listQuery.pick({ status: true });

const me = (req: Request) => {
  const caller = req.caller;
  if (caller?.kind !== 'partner')
    throw new HttpProblem(403, 'This endpoint needs a partner login.', { slug: 'forbidden' });
  return caller.partnerId;
};

export function meRoutes(context: Context): Router {
  const { config, models } = context;
  const router = Router();
  router.use('/v1/me', requirePartner(context));

  router.get('/v1/me', async (req, res) => {
    const partner = await models.Partner.findById(me(req)).lean();
    if (!partner) throw new HttpProblem(401, 'Invalid or expired token.', { slug: 'unauthorized' });
    res.json(partnerProfile(config, partner));
  });

  router.patch('/v1/me', async (req, res) => {
    const changes = profileBody.parse(req.body);
    const partner = await updateProfile(context, me(req), changes);
    res.json(partnerProfile(config, partner));
  });

  router.get('/v1/me/stats', async (req, res) => {
    const range = statsQuery.parse(req.query);
    res.json(await partnerStats(context, me(req), range, new Date()));
  });

  router.get('/v1/me/commissions', async (req, res) => {
    const { status, page, limit } = listQuery.parse(req.query);
    const all = await commissionLines(context, me(req), new Date());
    const matching = status ? all.filter((line) => line.status === status) : all;
    res.json({
      currency: config.currency,
      page,
      limit,
      total: matching.length,
      items: matching.slice((page - 1) * limit, page * limit),
    });
  });

  router.get('/v1/me/payouts', async (req, res) => {
    res.json({ items: await partnerPayouts(context, me(req)) });
  });

  router.get('/v1/me/report.csv', async (req, res) => {
    const { status } = reportQuery.parse(req.query);
    const all = await commissionLines(context, me(req), new Date());
    const lines = status ? all.filter((line) => line.status === status) : all;
    const csv = toCsv(
      [
        'entry',
        'kind',
        'customer',
        'event',
        'occurred_at',
        'available_at',
        'amount',
        'net',
        'currency',
        'status',
        'payout',
        'note',
      ],
      lines.map((line) => [
        line.entryId,
        line.kind,
        line.customerId,
        line.eventId,
        line.occurredAt,
        line.availableAt,
        formatMinor(line.amount),
        formatMinor(line.net),
        config.currency,
        line.status,
        line.payoutId,
        line.memo,
      ]),
      { spreadsheetSafe: true },
    );
    res.type('text/csv; charset=utf-8').attachment('ashop-partner-report.csv').send(csv);
  });

  return router;
}

export const meDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/me',
    summary: "The logged-in partner's profile and link.",
    auth: 'partner',
    responses: { '200': 'The profile.' },
    answer: partnerAnswer,
  },
  {
    method: 'patch',
    path: '/v1/me',
    summary: 'Update name, payout email or website.',
    auth: 'partner',
    body: profileBody,
    responses: { '200': 'The profile.' },
    answer: partnerAnswer,
  },
  {
    method: 'get',
    path: '/v1/me/stats',
    summary: 'Clicks, signups, revenue and commissions per day.',
    auth: 'partner',
    query: statsQuery,
    responses: { '200': 'Stats.' },
  },
  {
    method: 'get',
    path: '/v1/me/commissions',
    summary: "The partner's commission lines, paged.",
    auth: 'partner',
    query: listQuery,
    responses: { '200': 'A page of lines.' },
  },
  {
    method: 'get',
    path: '/v1/me/payouts',
    summary: "The partner's payouts.",
    auth: 'partner',
    responses: { '200': 'Payouts.' },
    answer: listOf(partnerPayoutAnswer),
  },
  {
    method: 'get',
    path: '/v1/me/report.csv',
    summary: "The partner's commission lines as CSV.",
    auth: 'partner',
    query: reportQuery,
    responses: { '200': 'CSV.' },
    produces: 'text/csv',
  },
];
