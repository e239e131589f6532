import { Schema } from 'mongoose';

/**
 * A partner's statement lines of one month (domain/statement.ts), `_id` = `<partnerId>|YYYY-MM`
 * of the lines' `occurredAt`, newest first, reversals and payout claims folded in. Written only by
 * the stats folder (fold lease); `seq` is the last fold batch applied.
 */
export const statementMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    month: { type: String, required: true },
    seq: { type: Number, required: true },
    lines: { type: Schema.Types.Mixed },
  },
  { collection: 'statement_months', versionKey: false, minimize: false },
);
