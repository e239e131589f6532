import { Schema } from 'mongoose';

/**
 * The exact release times of one partner's unclaimed amounts on one UTC day, `_id` =
 * `<partnerId>|YYYY-MM-DD`: `packed` lists the milliseconds and the amount that becomes available
 * then (domain/statement.ts `ReleaseDayDoc`; `at`, a map, in days written by older versions). Read
 * only for the day of the balance asked and the next release day. Written only by the stats folder
 * (fold lease).
 */
export const releaseDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    day: { type: String, required: true },
    seq: { type: Number, required: true },
    packed: { type: String },
    at: { type: Schema.Types.Mixed },
  },
  { collection: 'release_days', versionKey: false, minimize: false },
);
