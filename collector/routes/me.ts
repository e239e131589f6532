// The logged-in partner's own data, and only theirs: every query is keyed by the token's partner.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { emailSchema, nameSchema, websiteSchema } from '../domain/account-fields';
import { csvRows } from '../domain/csv';
import { encodeCursor, pageQuery } from '../domain/cursor';
import { dayRangeSchema } from '../domain/day-range';
import { formatMinor, formatRate } from '../domain/money';
import { carriedForward, type StatementLine } from '../domain/statement';
import { requirePartner } from '../http/auth';
import { HttpProblem } from '../http/problem';
import { partnerProfile, updateProfile } from '../services/partner-accounts';
import { partnerPayouts } from '../services/partner-payouts';
import { partnerStats } from '../services/reports';
import { allStatementLines, customersPage, partnerBalance, statementPage } from '../services/statements';
import {
  balanceAnswer,
  bookCustomerAnswer,
  countersAnswer,
  day,
  pageOf,
  partnerAnswer,
  partnerPayoutAnswer,
  statementLineAnswer,
  statsTotalsAnswer,
} from '../http/answers';
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
const listQuery = z.object({ status: z.enum(statuses).optional(), ...pageQuery });
const reportQuery = listQuery.pick({ status: true });
const customersQuery = z.object(pageQuery);

const csvColumns = [
  'entry',
  'kind',
  'customer',
  'event',
  'occurred_at',
  'available_at',
  'base',
  'rate',
  'amount',
  'refunded',
  'net',
  'currency',
  'status',
  'payout',
  'clicked_at',
  'banner',
  'signed_up_at',
  'note',
];
const money = (amount: number | null) => (amount === null ? null : formatMinor(amount));
/** The rate as the configuration writes it ("0.25"), exact: basis points × 100 are parts per million. */
const rate = (basisPoints: number | null) => (basisPoints === null ? null : formatRate(Math.round(basisPoints * 100)));
const csvRow = (line: StatementLine, currency: string) => [
  line.entryId,
  line.kind,
  line.customerId,
  line.eventId,
  line.occurredAt,
  line.availableAt,
  money(line.base),
  rate(line.rateBasisPoints),
  formatMinor(line.amount),
  formatMinor(line.refunded),
  formatMinor(line.net),
  currency,
  line.status,
  line.payoutId,
  line.binding?.clickedAt ?? null,
  line.binding?.bid ?? null,
  line.binding?.signedUpAt ?? null,
  line.memo,
];
const payoutsQuery = z.object({ ...pageQuery, limit: pageQuery.limit.default(20) });

/** services/reports.ts PartnerStats, as sent. */
const breakdown = (key: string, value: z.ZodType = z.string().nullable()) =>
  z.array(countersAnswer.extend({ [key]: value }));
const statsAnswer = z.strictObject({
  from: day,
  to: day,
  currency: z.string(),
  totals: statsTotalsAnswer,
  daily: breakdown('day', day),
  byBanner: breakdown('bid'),
  byData1: breakdown('value'),
  byData2: breakdown('value'),
  byLandingPage: breakdown('page'),
  byCoupon: breakdown('code', z.string()),
});

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
    const { status, limit, cursor } = listQuery.parse(req.query);
    const page = await statementPage(context, me(req), { status, limit, cursor }, new Date());
    res.json({
      currency: config.currency,
      limit,
      items: page.items,
      nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
    });
  });

  router.get('/v1/me/balance', async (req, res) => {
    const { nextReleaseAt, ...balance } = await partnerBalance(context, me(req), new Date());
    res.json({
      currency: config.currency,
      ...balance,
      minimumPayout: config.minPayout,
      ...carriedForward(balance.payable, config.minPayout),
      nextReleaseAt,
    });
  });

  router.get('/v1/me/customers', async (req, res) => {
    const { limit, cursor } = customersQuery.parse(req.query);
    const page = await customersPage(context, me(req), { limit, cursor }, new Date());
    res.json({
      currency: config.currency,
      items: page.items,
      nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
    });
  });

  router.get('/v1/me/payouts', async (req, res) => {
    const { limit, cursor } = payoutsQuery.parse(req.query);
    const page = await partnerPayouts(context, me(req), { limit, after: cursor });
    res.json({ items: page.items, nextCursor: page.nextAfter && encodeCursor(page.nextAfter) });
  });

  router.get('/v1/me/report.csv', async (req, res) => {
    const { status } = reportQuery.parse(req.query);
    res.type('text/csv; charset=utf-8').attachment('ashop-partner-report.csv');
    // One month document at a time: memory stays bounded whatever the history.
    res.write(csvRows([csvColumns]));
    for await (const line of allStatementLines(context, me(req), new Date())) {
      if (status && line.status !== status) continue;
      res.write(csvRows([csvRow(line, config.currency)], { spreadsheetSafe: true }));
    }
    res.end();
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
    answer: statsAnswer,
  },
  {
    method: 'get',
    path: '/v1/me/commissions',
    summary:
      "The partner's statement lines, newest first, key-paged (`nextCursor`): base, rate, refunds folded in, status, payout and the binding (click, banner, signup) of each line.",
    auth: 'partner',
    query: listQuery,
    responses: { '200': 'A page of lines.' },
    answer: z.strictObject({
      currency: z.string(),
      limit: z.number().int(),
      items: z.array(statementLineAnswer),
      nextCursor: z.string().nullable(),
    }),
  },
  {
    method: 'get',
    path: '/v1/me/balance',
    summary:
      'The balance explained: pending, payable, paid, reversed, the minimum payout and what is carried forward, and pending amounts by the month they become payable.',
    auth: 'partner',
    responses: { '200': 'The balance.' },
    answer: balanceAnswer,
  },
  {
    method: 'get',
    path: '/v1/me/customers',
    summary:
      "The partner's book of business: their referred customers (by ID), newest signup first, key-paged, with invoices, revenue, commission and active/churned.",
    auth: 'partner',
    query: customersQuery,
    responses: { '200': 'A page of customers.' },
    answer: pageOf(bookCustomerAnswer).extend({ currency: z.string() }),
  },
  {
    method: 'get',
    path: '/v1/me/payouts',
    summary: "The partner's payouts, newest first, paged with a cursor (`nextCursor`).",
    auth: 'partner',
    query: payoutsQuery,
    responses: { '200': 'A page of payouts.' },
    answer: pageOf(partnerPayoutAnswer),
  },
  {
    method: 'get',
    path: '/v1/me/report.csv',
    summary: "The partner's statement lines as CSV (every line, same fields as /v1/me/commissions).",
    auth: 'partner',
    query: reportQuery,
    responses: { '200': 'CSV.' },
    produces: 'text/csv',
  },
];
