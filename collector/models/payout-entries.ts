import { Schema } from 'mongoose';

/**
 * The ledger entries one item of a payout batch pays, in parts of at most `entriesPerPart`
 * (domain/payout.ts), `_id` = `<payoutId>|<partnerId>|<part>`: kept apart from the batch, which
 * would otherwise grow with every entry paid (a monthly batch of a busy program held tens of
 * thousands of IDs) and be read whole by every look at the batch. Read only to give a failed
 * item's entries back.
 */
export const payoutEntriesSchema = new Schema(
  {
    _id: { type: String, required: true },
    payoutId: { type: String, required: true },
    partnerId: { type: String, required: true },
    part: { type: Number, required: true },
    entryIds: { type: [String], required: true },
  },
  { collection: 'payout_entries', versionKey: false },
);
