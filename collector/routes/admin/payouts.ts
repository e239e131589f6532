// Operators: payout runs, their PayPal exports, and completion (failed items return to balances).
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { paypalMassPaymentCsv, paypalPayoutsRequest } from '../../domain/payout';
import { actorOf } from '../../http/auth';
import { completePayout, findPayout, payoutView, runPayout } from '../../services/payouts';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((text) => new Date(text));

export function adminPayoutRoutes(context: Context): Router {
  const { models } = context;
  const router = Router();

  router.post('/v1/admin/payouts', async (req, res) => {
    const { asOf, preview } = z
      .object({ asOf: instant.optional(), preview: z.boolean().default(false) })
      .strict()
      .parse(req.body ?? {});
    const run = await runPayout(context, { asOf: asOf ?? new Date(), actor: actorOf(req.caller), preview });
    res.status(preview ? 200 : 201).json(run);
  });

  router.get('/v1/admin/payouts', async (req, res) => {
    const { limit } = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).parse(req.query);
    const payouts = await models.Payout.find().sort({ createdAt: -1 }).limit(limit).lean();
    res.json({ items: payouts.map(payoutView) });
  });

  router.get('/v1/admin/payouts/:id', async (req, res) => {
    res.json(payoutView(await findPayout(context, req.params.id)));
  });

  const batchOf = async (id: string) => {
    const payout = await findPayout(context, id);
    return { payoutId: payout._id, currency: payout.currency, asOf: payout.asOf, items: payout.items };
  };

  router.get('/v1/admin/payouts/:id/paypal.csv', async (req, res) => {
    const batch = await batchOf(req.params.id);
    res.type('text/csv; charset=utf-8').attachment(`${batch.payoutId}.csv`).send(paypalMassPaymentCsv(batch));
  });

  router.get('/v1/admin/payouts/:id/paypal.json', async (req, res) => {
    res.json(paypalPayoutsRequest(await batchOf(req.params.id)));
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
