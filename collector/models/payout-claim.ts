import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Locks one ledger entry to one payout batch. `_id` is the ledger entry's id, so two payout runs
 * racing for the same entry cannot both claim it (unique key, no transactions). A failed payout
 * item deletes its claims, which frees the entries for the next run.
 */
export const payoutClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    payoutId: { type: String, required: true },
    partnerId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'payout_claims', versionKey: false },
);
payoutClaimSchema.index({ partnerId: 1 });
payoutClaimSchema.index({ payoutId: 1 });

export type PayoutClaimDoc = InferSchemaType<typeof payoutClaimSchema>;
