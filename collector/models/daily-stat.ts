import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Counters per partner, UTC day and banner, updated with $inc upserts as events arrive, so
 * reports read O(days) documents and never scan raw clicks.
 * `_id` = `${partnerId}|${day}|${bid}` (bid '' when none).
 */
export const dailyStatSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    /** YYYY-MM-DD, UTC. */
    day: { type: String, required: true },
    bid: { type: String, default: '' },
    clicks: { type: Number, default: 0 },
    uniqueClicks: { type: Number, default: 0 },
    signups: { type: Number, default: 0 },
    customers: { type: Number, default: 0 },
    /** Invoiced revenue of the partner's customers and the commission earned on it (minor units). */
    revenue: { type: Number, default: 0 },
    commission: { type: Number, default: 0 },
  },
  { collection: 'daily_stats', versionKey: false },
);
dailyStatSchema.index({ partnerId: 1, day: 1 });
dailyStatSchema.index({ day: 1 });

export type DailyStatDoc = InferSchemaType<typeof dailyStatSchema>;
