import { Schema } from 'mongoose';

/** The deltas already counted, keyed like them: a delta inserted again after its fold is dropped. */
export const statAppliedSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    /** When its batch was applied (the retention job deletes old ones; stamped by it where missing). */
    at: { type: Date },
  },
  { collection: 'stat_applied', versionKey: false },
);
