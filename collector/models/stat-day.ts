import { Schema } from 'mongoose';

/**
 * A partner-month's daily counters alone (domain/stat-layout.ts `DayBucket`, packed into one
 * string), `_id` = its bucket's `<partnerId>|YYYY-MM`: what a page of the partner report reads,
 * under a KB whatever the partner's banners and sub-IDs. Written by the stats folder just before
 * the bucket it mirrors.
 */
export const statDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    month: { type: String, required: true },
    seq: { type: Number, required: true },
    packedDays: { type: String, required: true },
  },
  { collection: 'stat_days', versionKey: false, minimize: false },
);
