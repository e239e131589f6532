import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Puts the refunds of one invoice in a total order without transactions: refund number n of
 * invoice X takes `_id` = `X#n` (unique), computed from slots 1..n-1, so two concurrent refunds
 * can never both take the same remainder. `refundEventId` is unique too: one slot per refund event.
 * A disabled partner's reversal of the commission takes a slot as well (`kind: 'disable'`, amount
 * 0): refunds in later slots take nothing more back, since the disable took back all that was left.
 */
export const refundSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    invoiceEventId: { type: String, required: true },
    seq: { type: Number, required: true },
    refundEventId: { type: String, required: true, unique: true },
    fingerprint: { type: String, required: true },
    /** Refunded by this slot (after the cap), and by all slots before it. */
    amount: { type: Number, required: true },
    refundedBefore: { type: Number, required: true },
    kind: { type: String, enum: ['refund', 'disable'], required: true, default: 'refund' },
    /** Whether an earlier slot is a disable (this refund then takes no commission back). */
    afterDisable: { type: Boolean, required: true, default: false },
    createdAt: { type: Date, required: true },
  },
  { collection: 'refund_slots', versionKey: false },
);
refundSlotSchema.index({ invoiceEventId: 1, seq: 1 });

export type RefundSlotDoc = InferSchemaType<typeof refundSlotSchema>;
