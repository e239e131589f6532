import { Schema, type InferSchemaType } from 'mongoose';

/**
 * One UTC day's signups by attribution source and by reason not attributed, `_id` = YYYY-MM-DD:
 * the health report reads one document per day by key. Incremented once per signup fact.
 */
export const attributionDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    sources: { type: Schema.Types.Mixed },
    reasons: { type: Schema.Types.Mixed },
  },
  { collection: 'attribution_days', versionKey: false, minimize: false },
);

export type AttributionDayDoc = InferSchemaType<typeof attributionDaySchema>;
