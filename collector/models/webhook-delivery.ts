import { Schema, type InferSchemaType } from 'mongoose';

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

/**
 * One event for one endpoint, `_id` = `<eventId>:<endpointId>` (unique: one delivery each), with
 * the exact body sent and the log of its attempts. Kept as the delivery log.
 */
export const webhookDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    endpointId: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, enum: webhookDeliveryStatuses, required: true },
    /** Attempts made (each under its own lease). */
    attempts: { type: Number, required: true, default: 0 },
    log: [
      {
        _id: false,
        attempt: { type: Number, required: true },
        at: { type: Date, required: true },
        statusCode: { type: Number },
        error: { type: String },
        durationMs: { type: Number, required: true },
      },
    ],
    eventAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date },
  },
  { collection: 'webhook_deliveries', versionKey: false },
);
webhookDeliverySchema.index({ endpointId: 1, createdAt: -1 });

export type WebhookDeliveryDoc = InferSchemaType<typeof webhookDeliverySchema>;
