import { Schema, type InferSchemaType } from 'mongoose';

export const ledgerKinds = ['commission', 'reversal', 'clawback', 'adjustment'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

/**
 * The append-only commission ledger. `_id` is the entry's idempotency key
 * (`commission:<eventId>`, `reversal:<refundEventId>`, `adjustment:<key>`, ...): a replay hits the primary key.
 * Entries are never updated or deleted; statuses are derived (see domain/ledger.ts).
 */
export const ledgerEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    kind: { type: String, enum: ledgerKinds, required: true },
    /** Minor units; negative for reversals and clawbacks. */
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    customerId: { type: String },
    /** The revenue (or refund) event that caused the entry. */
    eventId: { type: String, required: true },
    /** For commissions: the invoice's commissionable base and the rate applied (parts per million). */
    base: { type: Number },
    ratePpm: { type: Number },
    /** For adjustments: the operator's reason, shown to the partner. */
    memo: { type: String },
    /** For reversals and clawbacks: the commission entry they reduce. */
    reverses: { type: String },
    /** Invoice (or refund) time. */
    occurredAt: { type: Date, required: true },
    /** From when a payout may include it (commissions: occurredAt + hold days). */
    availableAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'ledger', versionKey: false },
);
ledgerEntrySchema.index({ partnerId: 1, availableAt: 1 });
ledgerEntrySchema.index({ reverses: 1 });

export type LedgerEntryDoc = InferSchemaType<typeof ledgerEntrySchema>;
