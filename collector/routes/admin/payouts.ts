// Operators: payout runs, their PayPal exports, and completion (failed items return to balances).
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { parseInstant } from '../../domain/bounds';
import { paypalMassPaymentCsv, paypalPayoutsRequest } from '../../domain/payout';
import { actorOf } from '../../http/auth';
import { batchOf, completePayout, findPayout, payoutView, runPayout } from '../../services/payouts';

const instant = z.string().transform((text, ctx) => {
  const date = parseInstant(text);
  if (!date) ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 time with offset' });
  return date ?? z.NEVER;
});

export function adminPayoutRoutes(context: Context): Router {
  const { models } = context;
  const router = Router();

  router.post('/v1/admin/payouts', async (req, res) => {
    const { asOf, preview } = z
      .object({ asOf: instant.optional(), preview: z.boolean().default(false) })
      .strict()
      .parse(req.body ?? {});
    const run = await runPayout(context, { asOf: asOf ?? new Date(), actor: actorOf(req.caller), preview });
    // A run with nobody to pay creates no batch: 200 with payoutId null.
    res.status(run.payoutId ? 201 : 200).json(run);
  });

  router.get('/v1/admin/payouts', async (req, res) => {
    const { limit } = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).parse(req.query);
    const payouts = await models.Payout.find().sort({ createdAt: -1 }).limit(limit).lean();
    res.json({ items: payouts.map(payoutView) });
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
    const { failed, note } = z
      .object({
        failed: z.array(z.string().min(1).max(64)).max(10_000).default([]),
        note: z.string().trim().max(500).optional(),
      })
      .strict()
      .parse(req.body ?? {});
    res.json(await completePayout(context, { payoutId: req.params.id, failed, note, actor: actorOf(req.caller) }));
  });

  return router;
}
