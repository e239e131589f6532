import { Schema } from 'mongoose';

/**
 * A partner's money totals (domain/statement.ts), `_id` = partnerId: paid, reversed, unclaimed
 * amounts by the day they become available, and the months holding statement lines and customers.
 * Written only by the stats folder (fold lease); `seq` is the last fold batch applied.
 */
export const moneyTotalSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    seq: { type: Number, required: true },
    paid: { type: Number, required: true },
    reversed: { type: Number, required: true },
    released: { type: Number, required: true },
    fromDay: { type: String },
    days: { type: Schema.Types.Mixed },
    months: { type: [String] },
    bookMonths: { type: [String] },
  },
  { collection: 'money_totals', versionKey: false, minimize: false },
);
