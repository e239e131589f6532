// POST /v1/integrations/stripe/webhook: Stripe's events, verified with the endpoint's signing
// secret (ASHOP_STRIPE_WEBHOOK_SECRET) by the `stripe` package. The signature covers the exact
// bytes sent, so this route reads the raw body and is mounted before the JSON parser.
import express, { Router } from 'express';
import Stripe from 'stripe';
import type { Context } from '../context';
import type { StripeEventLike } from '../domain/stripe';
import { HttpProblem } from '../http/problem';
import { handleStripeEvent } from '../services/stripe-billing';
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

export const stripeDocs: Operation[] = [
  {
    method: 'post',
    path: stripeWebhookPath,
    summary:
      "Stripe's events (customer.created, checkout.session.completed, invoice.paid, charge.refunded, credit notes).",
    auth: 'stripe-signature',
    responses: { '200': 'Handled or ignored.', '400': 'Bad signature.' },
  },
];
