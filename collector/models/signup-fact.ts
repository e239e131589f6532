import { Schema, type InferSchemaType } from 'mongoose';

/**
 * How a customer's first signup was decided, for the attribution health report. Insert-only, `_id`
 * = customerId: the insert that wins counts the signup once in its day's summary (attribution_days).
 */
export const signupFactSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** UTC day of the signup (YYYY-MM-DD). */
    day: { type: String, required: true },
    attributed: { type: Boolean, required: true },
    method: { type: String },
    source: { type: String },
    reason: { type: String },
    partnerId: { type: String },
    couponCode: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'signup_facts', versionKey: false },
);

export type SignupFactDoc = InferSchemaType<typeof signupFactSchema>;
