import { Schema, type InferSchemaType } from 'mongoose';

/**
 * A partner's payouts, newest first by key: entry n of the keyed log `<partnerId>|payouts`
 * (domain/keyed-log.ts), one per payout item, written by the payout run before it seals the batch.
 * The item's outcome is not copied here: it is read from the batch's own decisions (sealed,
 * completed), so nothing has to be updated twice.
 */
export const partnerPayoutSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    payoutId: { type: String, required: true },
    asOf: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    payoutEmail: { type: String, required: true },
  },
  { collection: 'partner_payouts', versionKey: false },
);

export type PartnerPayoutDoc = InferSchemaType<typeof partnerPayoutSchema>;
