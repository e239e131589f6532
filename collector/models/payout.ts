import { Schema, type InferSchemaType } from 'mongoose';

/**
 * `claiming` while a run locks entries; `open` once its items are written; `completed` when marked
 * paid. A run that died while claiming is `abandoned` by the next run, which frees its claims.
 */
export const payoutStatuses = ['claiming', 'open', 'completed', 'abandoned'] as const;
export const payoutItemStatuses = ['pending', 'paid', 'failed'] as const;

/**
 * A payout batch: one item per paid partner, with how many ledger entries it pays; the entries
 * themselves are in `payout_entries` (`parts` documents). Batches of older versions held them in
 * `entryIds`, moved out once (services/keyed-lists-migration.ts).
 */
export const payoutSchema = new Schema(
  {
    _id: { type: String, required: true },
    asOf: { type: Date, required: true },
    currency: { type: String, required: true },
    status: { type: String, enum: payoutStatuses, required: true, default: 'open' },
    items: [
      {
        _id: false,
        partnerId: { type: String, required: true },
        amount: { type: Number, required: true },
        payoutEmail: { type: String, required: true },
        entries: { type: Number },
        parts: { type: Number },
        entryIds: { type: [String], default: undefined },
        status: { type: String, enum: payoutItemStatuses, required: true, default: 'pending' },
      },
    ],
    withheld: [
      {
        _id: false,
        partnerId: { type: String, required: true },
        balance: { type: Number, required: true },
        reason: { type: String, required: true },
      },
    ],
    /** Its run writes each partner's keyed list (partner_payouts); batches of older versions are moved once. */
    listed: { type: Boolean },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date },
  },
  { collection: 'payouts', versionKey: false },
);
payoutSchema.index({ 'items.partnerId': 1 });

export type PayoutDoc = InferSchemaType<typeof payoutSchema>;
