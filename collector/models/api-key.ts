import { Schema, type InferSchemaType } from 'mongoose';

export const apiKeyScopes = ['track', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** A server-to-server API key; `_id` is the SHA-256 of the key (keys are long and random). */
export const apiKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    scope: { type: String, enum: apiKeyScopes, required: true },
    /** First characters of the key, to tell keys apart in lists. */
    prefix: { type: String, required: true },
    label: { type: String },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date },
  },
  { collection: 'api_keys', versionKey: false },
);

export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema>;
