// POST /v1/refunds: a refund or chargeback of a recorded invoice (server key). Idempotent on eventId.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { amountField, externalIdField } from '../domain/validation';
import { requireServerKey } from '../http/auth';
import { recordRefund } from '../services/refunds';
import type { Operation } from '../http/openapi';

/** services/refunds.ts RefundResult, as sent: the first answer, and the same again on a replay. */
const refundAnswer = z.strictObject({
  eventId: z.string(),
  refundOf: z.string(),
  amount: z.number().int(),
  commissionReversed: z.number().int(),
  entry: z
    .strictObject({ id: z.string(), kind: z.enum(['reversal', 'clawback']), amount: z.number().int() })
    .nullable(),
});

const refund = z
  .object({
    eventId: externalIdField,
    refundOf: externalIdField,
    /** Minor units; without it, everything still refundable. */
    amount: amountField.optional(),
    kind: z.enum(['refund', 'chargeback']),
  })
  .strict();

export function refundRoutes(context: Context): Router {
  const router = Router();
  router.post('/v1/refunds', requireServerKey(context), async (req, res) => {
    const { created, result } = await recordRefund(context, refund.parse(req.body));
    res.status(created ? 201 : 200).json(result);
  });
  return router;
}

export const refundDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/refunds',
    summary: 'A refund or chargeback of a recorded invoice; idempotent on eventId.',
    auth: 'server-key',
    body: refund,
    responses: { '200': 'Already recorded (the first answer).', '201': 'Recorded, with the reversed commissions.' },
    answer: refundAnswer,
  },
];
