import { Schema, type InferSchemaType } from 'mongoose';

/**
 * "Has this happened before?" decided by a unique-key insert, never read-then-write:
 * `uclick:<partnerId>|<day>|<visitor>` (a unique click), `paying:<customerId>` (first invoice).
 * `day` lets old unique-click keys be deleted with the raw clicks.
 */
export const firstSeenSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** UTC day for unique-click keys (deleted after the day); absent for keys kept for good. */
    day: { type: String },
    /** For `paying:` keys: the invoice that made the customer a paying one (counted on its day). */
    event: { type: String },
  },
  { collection: 'first_seen', versionKey: false },
);
firstSeenSchema.index({ day: 1 });

export type FirstSeenDoc = InferSchemaType<typeof firstSeenSchema>;
