import { Schema, type InferSchemaType } from 'mongoose';

/** A raw click. `_id` is the click ID (cid, UUID). Kept ASHOP_CLICK_RETENTION_DAYS. */
export const clickSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    bid: { type: String },
    data1: { type: String },
    data2: { type: String },
    vid: { type: String },
    url: { type: String },
    referrer: { type: String },
    /** Salted hash of IP + user agent (daily salt); never the raw IP. */
    visitorHash: { type: String },
    bot: { type: Boolean, required: true, default: false },
    /** False for bots and unknown, frozen or disabled partners: stored, never counted. */
    counted: { type: Boolean, required: true },
    unique: { type: Boolean, required: true, default: false },
    /** Recorded by the redirect `/r/:aid` (the SDK then reports it only to link it to its visitor). */
    redirect: { type: Boolean },
    occurredAt: { type: Date, required: true },
    /** The group-commit batch that stored it: its counters are the delta `clicks:<batch>`. */
    batch: { type: String },
  },
  { collection: 'clicks', versionKey: false },
);
clickSchema.index({ occurredAt: 1 });

export type ClickDoc = InferSchemaType<typeof clickSchema>;
