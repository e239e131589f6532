import { Schema } from 'mongoose';

/**
 * Counters read models (domain/stat-layout.ts): a partner's month `<partnerId>|YYYY-MM` (daily
 * counters and per-day counters by banner, sub-ID and landing page) and a program's month
 * `_program|YYYY-MM` (every partner's daily totals). Written only by the stats folder, which holds
 * the fold lease; `seq` is the last fold batch applied to the document.
 */
export const statBucketSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String },
    month: { type: String, required: true },
    seq: { type: Number, required: true },
    days: { type: Schema.Types.Mixed },
    dims: { type: Schema.Types.Mixed },
    partners: { type: Schema.Types.Mixed },
  },
  { collection: 'stat_buckets', versionKey: false, minimize: false },
);
