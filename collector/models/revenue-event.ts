import { Schema, type InferSchemaType } from 'mongoose';

export const revenueEventKinds = ['invoice', 'refund', 'chargeback'] as const;

/**
 * A billing event as received, keyed by its eventId. `fingerprint` is a hash of the request
 * content: the same id with other content is a conflict (409).
 */
export const revenueEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: revenueEventKinds, required: true },
    fingerprint: { type: String, required: true },
    customerId: { type: String },
    partnerId: { type: String },
    currency: { type: String, required: true },
    lines: [{ _id: false, kind: { type: String, required: true }, amount: { type: Number, required: true } }],
    /** Sum of all lines, and of the commissionable ones, in minor units. */
    total: { type: Number, required: true },
    commissionable: { type: Number, required: true },
    /** For invoices: the commission rate applied (parts per million); absent on older events. */
    ratePpm: { type: Number },
    /** For refunds and chargebacks: the invoice event they refer to, and the refunded amount. */
    refundOf: { type: String },
    /** The answer given, replayed for the same event. */
    result: { type: Schema.Types.Mixed, required: true },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'revenue_events', versionKey: false },
);
revenueEventSchema.index({ refundOf: 1 });

export type RevenueEventDoc = InferSchemaType<typeof revenueEventSchema>;
