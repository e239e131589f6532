import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Attempt n of a delivery is made by whoever inserts `<deliveryId>:<n>` first: several collector
 * processes never send one delivery at once. A lease older than the attempt timeout belongs to a
 * process that died; its attempt counts as failed.
 */
export const webhookLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true },
    owner: { type: String, required: true },
    takenAt: { type: Date, required: true },
  },
  { collection: 'webhook_leases', versionKey: false },
);

export type WebhookLeaseDoc = InferSchemaType<typeof webhookLeaseSchema>;
