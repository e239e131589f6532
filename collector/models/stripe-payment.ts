import { Schema, type InferSchemaType } from 'mongoose';

/**
 * A Stripe charge (`ch_...`) or payment intent (`pi_...`) that paid an invoice, keyed by its ID:
 * newer Stripe API versions no longer name the invoice on a refunded charge.
 */
export const stripePaymentSchema = new Schema(
  {
    _id: { type: String, required: true },
    invoiceId: { type: String, required: true },
  },
  { collection: 'stripe_payments', versionKey: false },
);

export type StripePaymentDoc = InferSchemaType<typeof stripePaymentSchema>;
