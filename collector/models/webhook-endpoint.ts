import { Schema, type InferSchemaType } from 'mongoose';

export const webhookEndpointStatuses = ['enabled', 'disabled'] as const;

/**
 * An operator's webhook endpoint. The secret is kept as is (it signs every delivery); after a
 * rotation the previous one also signs until `previousSecretExpiresAt`.
 */
export const webhookEndpointSchema = new Schema(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    description: { type: String },
    secret: { type: String, required: true },
    previousSecret: { type: String },
    previousSecretExpiresAt: { type: Date },
    status: { type: String, enum: webhookEndpointStatuses, required: true },
    /** Why it was disabled (by hand, or after repeated failures). */
    disabledReason: { type: String },
    /** The current failure streak's ID; a success after failures, or a re-enable, starts a new one. */
    streak: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webhook_endpoints', versionKey: false },
);

export type WebhookEndpointDoc = InferSchemaType<typeof webhookEndpointSchema>;
