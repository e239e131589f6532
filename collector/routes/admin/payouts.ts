// Operators: payout runs, their PayPal exports, and completion (failed items return to balances).
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { parseInstant } from '../../domain/bounds';
import { pageQuery } from '../../domain/cursor';
import { paypalMassPaymentCsv, paypalPayoutsRequest } from '../../domain/payout';
import { actorOf } from '../../http/auth';
import { payoutStatuses } from '../../models/payout';
import { batchOf, completePayout, findPayout, payoutView, runPayout } from '../../services/payouts';
import { listPayouts } from '../../services/records';
import { pageOf, payoutAnswer, time, withheldAnswer } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const instant = z.string().transform((text, ctx) => {
  const date = parseInstant(text);
  if (!date) ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 time with offset' });
  return date ?? z.NEVER;
});

const runBody = z.object({ asOf: instant.optional(), preview: z.boolean().default(false) }).strict();
const listQuery = z.object({ ...pageQuery, status: z.enum(payoutStatuses).optional() }).strict();
const completeBody = z
  .object({
    failed: z.array(z.string().min(1).max(64)).max(10_000).default([]),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

/** services/payouts.ts PayoutRun, as sent: 201 made a batch; 200 is a preview or found nobody to pay. */
const runFields = {
  asOf: time,
  currency: z.string(),
  items: z.array(z.strictObject({ partnerId: z.string(), amount: z.number().int(), payoutEmail: z.string() })),
  withheld: z.array(withheldAnswer),
};
const runAnswers = {
  '201': z.strictObject({ payoutId: z.string(), forecast: z.literal(false), ...runFields }),
  '200': z.strictObject({
    payoutId: z.null(),
    /** A preview of a date still to come: what would be payable then if nothing changes. */
    forecast: z.boolean(),
    ...runFields,
  }),
};

/** domain/payout.ts paypalPayoutsRequest: the body of PayPal's POST /v1/payments/payouts. */
const paypalAnswer = z.strictObject({
  sender_batch_header: z.strictObject({
    sender_batch_id: z.string(),
    email_subject: z.string(),
    email_message: z.string(),
  }),
  items: z.array(
    z.strictObject({
      recipient_type: z.literal('EMAIL'),
      amount: z.strictObject({ value: z.string(), currency: z.string() }),
      receiver: z.string(),
      note: z.string(),
      sender_item_id: z.string(),
    }),
  ),
});

export function adminPayoutRoutes(context: Context): Router {
  const router = Router();

  router.post('/v1/admin/payouts', async (req, res) => {
    const { asOf, preview } = runBody.parse(req.body ?? {});
    const run = await runPayout(context, { asOf: asOf ?? new Date(), actor: actorOf(req.caller), preview });
    // A run with nobody to pay creates no batch: 200 with payoutId null.
    res.status(run.payoutId ? 201 : 200).json(run);
  });

  router.get('/v1/admin/payouts', async (req, res) => {
    const { limit, cursor, ...filter } = listQuery.parse(req.query);
    res.json(await listPayouts(context, filter, { limit, cursor }));
  });

  router.get('/v1/admin/payouts/:id', async (req, res) => {
    res.json(payoutView(await findPayout(context, req.params.id)));
  });

  const batch = async (id: string) => batchOf(await findPayout(context, id));

  router.get('/v1/admin/payouts/:id/paypal.csv', async (req, res) => {
    const found = await batch(req.params.id);
    res.type('text/csv; charset=utf-8').attachment(`${found.payoutId}.csv`).send(paypalMassPaymentCsv(found));
  });

  router.get('/v1/admin/payouts/:id/paypal.json', async (req, res) => {
    res.json(paypalPayoutsRequest(await batch(req.params.id)));
  });

  router.post('/v1/admin/payouts/:id/complete', async (req, res) => {
    const { failed, note } = completeBody.parse(req.body ?? {});
    res.json(await completePayout(context, { payoutId: req.params.id, failed, note, actor: actorOf(req.caller) }));
  });

  return router;
}

export const adminPayoutDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/admin/payouts',
    summary: 'Run a payout of everything payable as of a date (or preview it).',
    auth: 'admin',
    body: runBody,
    responses: { '200': 'Nobody to pay (payoutId null) or a preview.', '201': 'The payout batch.' },
    answer: runAnswers,
  },
  {
    method: 'get',
    path: '/v1/admin/payouts',
    summary: 'Payouts newest first, by status, with cursor pagination.',
    auth: 'admin',
    query: listQuery,
    responses: { '200': 'A page and the next cursor.' },
    answer: pageOf(payoutAnswer),
  },
  {
    method: 'get',
    path: '/v1/admin/payouts/:id',
    summary: 'One payout.',
    auth: 'admin',
    responses: { '200': 'The payout.' },
    answer: payoutAnswer,
  },
  {
    method: 'get',
    path: '/v1/admin/payouts/:id/paypal.csv',
    summary: 'The batch as a PayPal mass payment CSV.',
    auth: 'admin',
    responses: { '200': 'CSV.' },
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/v1/admin/payouts/:id/paypal.json',
    summary: 'The batch as a PayPal Payouts API request.',
    auth: 'admin',
    responses: { '200': 'JSON.' },
    answer: paypalAnswer,
  },
  {
    method: 'post',
    path: '/v1/admin/payouts/:id/complete',
    summary: 'Mark a payout paid, except the failed partners.',
    auth: 'admin',
    body: completeBody,
    responses: { '200': 'The completed payout.' },
    answer: payoutAnswer,
  },
];
