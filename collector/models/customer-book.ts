import { Schema } from 'mongoose';

/**
 * A partner's book of business for one month of signups (domain/statement.ts,
 * domain/month-chunks.ts): the head `<partnerId>|YYYY-MM` holds the customers bound that month,
 * newest first, with their invoices and commission, or the refs of its chunks
 * (`<partnerId>|YYYY-MM|<seq>.<n>`, in this collection too: leaves or inner chunks of refs). Written only by the stats folder
 * (fold lease); a head's `seq` is the last fold batch applied.
 */
export const customerBookSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    month: { type: String, required: true },
    seq: { type: Number },
    customers: { type: Schema.Types.Mixed },
    chunks: { type: Schema.Types.Mixed },
    retired: { type: [String], default: undefined },
  },
  { collection: 'customer_books', versionKey: false, minimize: false },
);
