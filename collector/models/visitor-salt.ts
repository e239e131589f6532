import { Schema, type InferSchemaType } from 'mongoose';

/**
 * The salt of one UTC day (`_id` = YYYY-MM-DD) for hashing IP + user agent. Shared by all
 * collector processes (first insert wins), and deleted once the day is over, so old hashes
 * can no longer be linked to an address.
 */
export const visitorSaltSchema = new Schema(
  {
    _id: { type: String, required: true },
    salt: { type: String, required: true },
  },
  { collection: 'visitor_salts', versionKey: false },
);

export type VisitorSaltDoc = InferSchemaType<typeof visitorSaltSchema>;
