import { Schema } from 'mongoose';

/**
 * A partner's statement lines of one month (domain/statement.ts, domain/month-chunks.ts): the head
 * `<partnerId>|YYYY-MM` of the lines' `occurredAt` holds them newest first, or the refs of its
 * chunks (`<partnerId>|YYYY-MM|<seq>.<n>`, in this collection too, so they share the shard key:
 * leaves holding lines, inner chunks holding refs), with reversals and payout claims folded in. Written only by the stats folder (fold lease); a
 * head's `seq` is the last fold batch applied.
 */
export const statementMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    month: { type: String, required: true },
    seq: { type: Number },
    lines: { type: Schema.Types.Mixed },
    chunks: { type: Schema.Types.Mixed },
    retired: { type: [String], default: undefined },
  },
  { collection: 'statement_months', versionKey: false, minimize: false },
);
