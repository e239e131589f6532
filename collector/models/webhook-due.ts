import { Schema, type InferSchemaType } from 'mongoose';

/**
 * The delivery queue: one document per delivery not finished yet (`_id` = the delivery's), with
 * when its next attempt is due. Deleted when the delivery succeeds or gives up, so the dispatcher's
 * scan reads only the backlog.
 */
export const webhookDueSchema = new Schema(
  {
    _id: { type: String, required: true },
    dueAt: { type: Date, required: true },
  },
  { collection: 'webhook_due', versionKey: false },
);

export type WebhookDueDoc = InferSchemaType<typeof webhookDueSchema>;
