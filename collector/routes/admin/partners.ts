// Operators: partner list and search, status changes (audited, with a reason), rate overrides.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { pageQuery } from '../../domain/cursor';
import { formatRate, parseRate } from '../../domain/money';
import { actorOf } from '../../http/auth';
import { HttpProblem } from '../../http/problem';
import { partnerStatuses } from '../../models/partner';
import { audit, auditTrail } from '../../services/audit';
import { partnerProfile } from '../../services/partner-accounts';
import { changePartnerStatus, settableStatuses } from '../../services/partner-status';
import { listPartners } from '../../services/records';
import { auditEntryAnswer, pageOf, partnerAnswer } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const reasonSchema = z.string().trim().min(1, 'a reason is required').max(500);

const rateSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const rate = parseRate(String(value));
  if (rate === undefined)
    ctx.addIssue({ code: 'custom', message: 'must be a decimal from 0 to 1 with at most 6 decimals' });
  return rate ?? z.NEVER;
});

const listQuery = z
  .object({ ...pageQuery, q: z.string().trim().max(200).optional(), status: z.enum(partnerStatuses).optional() })
  .strict();
/** The partner page shows the newest entries of the partner's audit trail. */
const auditShown = 100;
const statusBody = z.object({ status: z.enum(settableStatuses), reason: reasonSchema });
const updateBody = z.object({ commissionRate: rateSchema.nullable(), reason: reasonSchema.optional() }).strict();

/** services/partner-status.ts changePartnerStatus, as sent: a disable also tells what it reversed. */
const statusChange = { partnerId: z.string(), from: z.enum(partnerStatuses) };
const statusAnswer = z.union([
  z.strictObject({ ...statusChange, status: z.enum(settableStatuses).exclude(['disabled']) }),
  z.strictObject({
    ...statusChange,
    status: z.literal('disabled'),
    /** The unpaid commissions reversed: how many, and their total (minor units). */
    reversed: z.strictObject({ count: z.number().int(), amount: z.number().int() }),
  }),
]);

export function adminPartnerRoutes(context: Context): Router {
  const { config, models } = context;
  const router = Router();

  router.get('/v1/admin/partners', async (req, res) => {
    const { limit, cursor, ...filter } = listQuery.parse(req.query);
    res.json(await listPartners(context, filter, { limit, cursor }));
  });

  router.get('/v1/admin/partners/:id', async (req, res) => {
    const partner = await models.Partner.findById(req.params.id).lean();
    if (!partner) throw new HttpProblem(404, `No partner ${req.params.id}.`, { slug: 'partner-not-found' });
    const history = await auditTrail(context, `partner:${partner._id}`, { limit: auditShown });
    res.json({ ...partnerProfile(config, partner), audit: history.items });
  });

  router.post('/v1/admin/partners/:id/status', async (req, res) => {
    const { status, reason } = statusBody.parse(req.body);
    const change = await changePartnerStatus(context, {
      partnerId: req.params.id,
      status,
      reason,
      actor: actorOf(req.caller),
    });
    res.json(change);
  });

  router.patch('/v1/admin/partners/:id', async (req, res) => {
    const { commissionRate, reason } = updateBody.parse(req.body);
    const partner = await models.Partner.findById(req.params.id, { commissionRate: 1 }).lean();
    if (!partner) throw new HttpProblem(404, `No partner ${req.params.id}.`, { slug: 'partner-not-found' });
    await models.Partner.updateOne(
      { _id: partner._id },
      commissionRate === null ? { $unset: { commissionRate: 1 } } : { $set: { commissionRate } },
    );
    const show = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : formatRate(rate));
    await audit(context, {
      actor: actorOf(req.caller),
      action: 'partner.commission-rate',
      subject: `partner:${partner._id}`,
      ...(reason ? { reason } : {}),
      details: { from: show(partner.commissionRate), to: show(commissionRate) },
    });
    const updated = await models.Partner.findById(partner._id).lean();
    res.json(partnerProfile(config, updated!));
  });

  return router;
}

export const adminPartnerDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/partners',
    summary:
      'Partners newest first, searched and filtered by status, with cursor pagination (a filtered page may be short: read on while nextCursor is set).',
    auth: 'admin',
    query: listQuery,
    responses: { '200': 'A page and the next cursor.' },
    answer: pageOf(partnerAnswer),
  },
  {
    method: 'get',
    path: '/v1/admin/partners/:id',
    summary: 'One partner with its audit history (the newest 100 entries).',
    auth: 'admin',
    responses: { '200': 'The partner.' },
    answer: partnerAnswer.extend({ audit: z.array(auditEntryAnswer) }),
  },
  {
    method: 'post',
    path: '/v1/admin/partners/:id/status',
    summary: 'Freeze, disable or reactivate a partner.',
    auth: 'admin',
    body: statusBody,
    responses: { '200': 'The change.' },
    answer: statusAnswer,
  },
  {
    method: 'patch',
    path: '/v1/admin/partners/:id',
    summary: "Set (or clear with null) the partner's commission rate.",
    auth: 'admin',
    body: updateBody,
    responses: { '200': 'The partner.' },
    answer: partnerAnswer,
  },
];
