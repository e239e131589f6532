// POST /v1/revenue: an invoice from the billing system (server key). Idempotent on eventId.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { MAX_AMOUNT } from '../domain/bounds';
import { amountField, currencyField, externalIdField, lineKindField, occurredAtField } from '../domain/validation';
import { requireServerKey } from '../http/auth';
import { HttpProblem } from '../http/problem';
import { recordRevenue } from '../services/revenue';
import type { Operation } from '../http/openapi';

const invoice = z
  .object({
    eventId: externalIdField,
    customerId: externalIdField,
    occurredAt: occurredAtField.optional(),
    currency: currencyField.optional(),
    lines: z
      .array(z.object({ kind: lineKindField, amount: amountField }).strict())
      .min(1)
      .max(200)
      .refine(
        (lines) => lines.reduce((sum, line) => sum + line.amount, 0) <= MAX_AMOUNT,
        `the lines add up to more than ${MAX_AMOUNT} minor units, the most one invoice may total`,
      ),
  })
  .strict();

export function revenueRoutes(context: Context): Router {
  const router = Router();
  router.post('/v1/revenue', requireServerKey(context), async (req, res) => {
    const body = invoice.parse(req.body);
    const currency = requireProgramCurrency(context, body.currency);
    const { created, result } = await recordRevenue(context, { ...body, currency });
    res.status(created ? 201 : 200).json(result);
  });
  return router;
}

/** Amounts are only comparable in the program's one currency (ASHOP_CURRENCY). */
export function requireProgramCurrency(context: Context, currency: string | undefined): string {
  const expected = context.config.currency;
  if (currency !== undefined && currency !== expected) {
    throw new HttpProblem(422, `The program's currency is ${expected}.`, {
      slug: 'currency-mismatch',
      errors: [{ field: 'currency', message: `must be ${expected}` }],
    });
  }
  return expected;
}

export const revenueDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/revenue',
    summary: 'An invoice from the billing system; idempotent on eventId.',
    auth: 'server-key',
    body: invoice,
    responses: { '200': 'Already recorded.', '201': 'Recorded, with its commissions.' },
    answer: z.strictObject({ eventId: z.string(), commission: z.number().int() }),
  },
];
