// POST /v1/integrations/stripe/webhook: Stripe's events, verified with the endpoint's signing
// secret (ASHOP_STRIPE_WEBHOOK_SECRET) by the `stripe` package. The signature covers the exact
// bytes sent, so this route reads the raw body and is mounted before the JSON parser.
import express, { Router } from 'express';
import Stripe from 'stripe';
import { z } from 'zod';
import type { Context } from '../context';
import type { StripeEventLike } from '../domain/stripe';
import { HttpProblem } from '../http/problem';
import { handleStripeEvent } from '../services/stripe-billing';
import { signupAnswer } from '../http/answers';
import type { Operation } from '../http/openapi';

export const stripeWebhookPath = '/v1/integrations/stripe/webhook';

export function stripeRoutes(context: Context): Router {
  const router = Router();
  router.post(stripeWebhookPath, express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const secret = context.config.stripeWebhookSecret;
    if (!secret) {
      throw new HttpProblem(404, 'The Stripe integration is off: set ASHOP_STRIPE_WEBHOOK_SECRET to turn it on.', {
        slug: 'stripe-not-configured',
      });
    }
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string' || !Buffer.isBuffer(req.body)) {
      throw new HttpProblem(400, 'A Stripe webhook needs its body and the Stripe-Signature header.', {
        slug: 'invalid-stripe-signature',
      });
    }
    let event: StripeEventLike;
    try {
      event = Stripe.webhooks.constructEvent(req.body, signature, secret);
    } catch (error) {
      throw new HttpProblem(400, `The Stripe-Signature does not verify: ${(error as Error).message.split('\n')[0]}`, {
        slug: 'invalid-stripe-signature',
      });
    }
    const outcome = await handleStripeEvent(context, event);
    if (outcome.action === 'ignore') req.log.info({ stripeEvent: event.id, type: event.type }, 'stripe event ignored');
    res.json(outcome);
  });
  return router;
}

/**
 * services/stripe-billing.ts StripeOutcome, as sent (a replayed event ID answers the first outcome
 * with `duplicate: true`), one shape per action.
 */
const outcome = <Action extends string>(action: Action) => ({
  eventId: z.string(),
  type: z.string(),
  action: z.literal(action),
  duplicate: z.boolean(),
});
const recordedBefore = z.literal(true);
const stripeAnswer = z.union([
  z.strictObject({ ...outcome('ignore'), reason: z.string() }),
  ...signupAnswer.options.map((answer) => answer.extend({ ...outcome('signup'), customerId: z.string() })),
  z.strictObject({ ...outcome('invoice'), invoiceId: z.string(), recordedBefore }),
  z.strictObject({
    ...outcome('invoice'),
    invoiceId: z.string(),
    commission: z.number().int(),
    recordedBefore: z.boolean(),
  }),
  /** A refund of an invoice this collector never saw. */
  z.strictObject({ ...outcome('refunds'), reason: z.literal('no-invoice') }),
  z.strictObject({
    ...outcome('refunds'),
    invoiceId: z.string(),
    refunds: z.array(
      z.union([
        z.strictObject({ eventId: z.string(), recordedBefore }),
        z.strictObject({
          eventId: z.string(),
          amount: z.number().int(),
          commissionReversed: z.number().int(),
          recordedBefore: z.boolean(),
        }),
      ]),
    ),
  }),
]);

export const stripeDocs: Operation[] = [
  {
    method: 'post',
    path: stripeWebhookPath,
    summary:
      "Stripe's events (customer.created, checkout.session.completed, invoice.paid, charge.refunded, credit notes).",
    auth: 'stripe-signature',
    responses: { '200': 'Handled or ignored: what the event did.', '400': 'Bad signature.' },
    answer: stripeAnswer,
  },
];
