import { Schema, type InferSchemaType } from 'mongoose';

/**
 * A Stripe webhook event that was handled, keyed by Stripe's event ID (`evt_...`). Written after
 * its effects (each idempotent on its own key), so a crash before it only means Stripe's retry
 * handles the event again; a stored one is answered from here without touching anything.
 */
export const stripeEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    /** What handling it did, as answered to Stripe. */
    outcome: { type: Schema.Types.Mixed, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'stripe_events', versionKey: false },
);

export type StripeEventDoc = InferSchemaType<typeof stripeEventSchema>;
