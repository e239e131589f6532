import { Schema } from 'mongoose';

/**
 * A partner's book of business for one month of signups (domain/statement.ts), `_id` =
 * `<partnerId>|YYYY-MM`: the customers bound that month, newest first, with their invoices and
 * commission. Written only by the stats folder (fold lease); `seq` is the last fold batch applied.
 */
export const customerBookSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    month: { type: String, required: true },
    seq: { type: Number, required: true },
    customers: { type: Schema.Types.Mixed },
  },
  { collection: 'customer_books', versionKey: false, minimize: false },
);
