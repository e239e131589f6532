// Operators: one partner's records for the console's partner page (commissions, payouts, notes),
// manual adjustments, and the approval queue (ASHOP_PARTNER_APPROVAL=manual).
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { encodeCursor, pageQuery } from '../../domain/cursor';
import { actorOf } from '../../http/auth';
import { HttpProblem } from '../../http/problem';
import { addAdjustment } from '../../services/adjustments';
import { approvalQueue, decideApproval } from '../../services/partner-approval';
import { addPartnerNote, partnerNotes } from '../../services/partner-notes';
import { partnerPayouts } from '../../services/partner-payouts';
import { allStatementLines } from '../../services/statements';
import { listOf, noteAnswer, pageOf, partnerPayoutAnswer, statementLineAnswer, time } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const reasonSchema = z.string().trim().min(1, 'a reason is required').max(500);
/** Adjustments are bounded: a typo of a few zeros must not become a payout. */
const maxAdjustment = 10_000_000;

const noteBody = z.strictObject({ text: z.string().trim().min(1, 'is required').max(2000) });
const adjustmentBody = z.strictObject({
  amount: z
    .number()
    .int('must be whole minor units (cents)')
    .min(-maxAdjustment)
    .max(maxAdjustment)
    .refine((amount) => amount !== 0, 'must not be 0'),
  reason: reasonSchema,
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 characters of A–Z a–z 0–9 _ . : -'),
  availableAt: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((text) => new Date(text))
    .optional(),
});
const payoutsQuery = z.object({ ...pageQuery, limit: pageQuery.limit.default(20) });
/** Notes newest first; a page as long as the list the console showed before it was paged. */
const notesQuery = z.object({ ...pageQuery, limit: pageQuery.limit.default(200) });
const approvalBody = z.strictObject({ decision: z.enum(['approve', 'reject']), reason: reasonSchema });

/** services/adjustments.ts addAdjustment's entry, as sent: the first answer, and the same again on a replay. */
const adjustmentAnswer = z.strictObject({
  entryId: z.string(),
  partnerId: z.string(),
  kind: z.literal('adjustment'),
  amount: z.number().int(),
  currency: z.string(),
  memo: z.string().nullable(),
  occurredAt: time,
  availableAt: time,
});

export function adminPartnerRecordRoutes(context: Context): Router {
  const { models } = context;
  const router = Router();

  const existing = async (id: string) => {
    if (!(await models.Partner.exists({ _id: id })))
      throw new HttpProblem(404, `No partner ${id}.`, { slug: 'partner-not-found' });
    return id;
  };

  router.get('/v1/admin/partners/:id/commissions', async (req, res) => {
    const partnerId = await existing(req.params.id);
    const items = [];
    for await (const line of allStatementLines(context, partnerId, new Date())) items.push(line);
    res.json({ currency: context.config.currency, items });
  });

  router.get('/v1/admin/partners/:id/payouts', async (req, res) => {
    const { limit, cursor } = payoutsQuery.parse(req.query);
    const page = await partnerPayouts(context, await existing(req.params.id), { limit, after: cursor });
    res.json({ items: page.items, nextCursor: page.nextAfter && encodeCursor(page.nextAfter) });
  });

  router.get('/v1/admin/partners/:id/notes', async (req, res) => {
    const { limit, cursor } = notesQuery.parse(req.query);
    const page = await partnerNotes(context, await existing(req.params.id), { limit, after: cursor });
    res.json({ items: page.items, nextCursor: page.nextAfter && encodeCursor(page.nextAfter) });
  });

  router.post('/v1/admin/partners/:id/notes', async (req, res) => {
    const { text } = noteBody.parse(req.body);
    res
      .status(201)
      .json(await addPartnerNote(context, { partnerId: req.params.id, text, author: actorOf(req.caller) }));
  });

  router.post('/v1/admin/partners/:id/adjustments', async (req, res) => {
    const input = adjustmentBody.parse(req.body);
    const result = await addAdjustment(context, { ...input, partnerId: req.params.id, actor: actorOf(req.caller) });
    // Lines and balances are read models: folded now, so the operator's next look shows the adjustment.
    await context.tracking.flush();
    res.status(result.created ? 201 : 200).json(result.entry);
  });

  router.get('/v1/admin/approvals', async (_req, res) => {
    res.json({ mode: context.config.partnerApproval, items: await approvalQueue(context) });
  });

  router.post('/v1/admin/partners/:id/approval', async (req, res) => {
    const { decision, reason } = approvalBody.parse(req.body);
    const result = await decideApproval(context, {
      partnerId: req.params.id,
      decision,
      reason,
      actor: actorOf(req.caller),
    });
    res.json(result);
  });

  return router;
}

export const adminPartnerRecordDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/partners/:id/commissions',
    summary: "A partner's commission lines.",
    auth: 'admin',
    responses: { '200': 'Lines.' },
    answer: listOf(statementLineAnswer).extend({ currency: z.string() }),
  },
  {
    method: 'get',
    path: '/v1/admin/partners/:id/payouts',
    summary: "A partner's payouts, newest first, paged with a cursor (`nextCursor`).",
    auth: 'admin',
    query: payoutsQuery,
    responses: { '200': 'A page of payouts.' },
    answer: pageOf(partnerPayoutAnswer),
  },
  {
    method: 'get',
    path: '/v1/admin/partners/:id/notes',
    summary: "The operators' notes on a partner, newest first, with cursor pagination.",
    auth: 'admin',
    query: notesQuery,
    responses: { '200': 'A page of notes and the next cursor.' },
    answer: pageOf(noteAnswer),
  },
  {
    method: 'post',
    path: '/v1/admin/partners/:id/notes',
    summary: 'Add a note on a partner.',
    auth: 'admin',
    body: noteBody,
    responses: { '201': 'The note.' },
    answer: noteAnswer,
  },
  {
    method: 'post',
    path: '/v1/admin/partners/:id/adjustments',
    summary: 'A manual bonus or deduction; idempotent on idempotencyKey.',
    auth: 'admin',
    body: adjustmentBody,
    responses: { '200': 'Already recorded (the same line).', '201': 'The ledger line.' },
    answer: adjustmentAnswer,
  },
  {
    method: 'get',
    path: '/v1/admin/approvals',
    summary: 'Partners waiting for approval.',
    auth: 'admin',
    responses: { '200': 'The queue.' },
    answer: z.strictObject({
      mode: z.enum(['auto', 'manual']),
      items: z.array(
        z.strictObject({
          partnerId: z.string(),
          name: z.string(),
          email: z.string(),
          website: z.string().nullable(),
          createdAt: time.nullable(),
        }),
      ),
    }),
  },
  {
    method: 'post',
    path: '/v1/admin/partners/:id/approval',
    summary: 'Approve or reject a pending partner.',
    auth: 'admin',
    body: approvalBody,
    responses: { '200': 'The decision.' },
    answer: z.strictObject({
      partnerId: z.string(),
      from: z.literal('pending_approval'),
      status: z.enum(['active', 'disabled']),
    }),
  },
];
