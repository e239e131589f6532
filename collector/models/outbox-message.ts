import { Schema, type InferSchemaType } from 'mongoose';

/** Email kept here when no SMTP_URL is set; the demo site shows it at /mail/. */
export const outboxMessageSchema = new Schema(
  {
    to: { type: String, required: true },
    from: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String },
    /** What the `List-Unsubscribe` header would carry (notifications only). */
    unsubscribeUrl: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'outbox', versionKey: false },
);
outboxMessageSchema.index({ createdAt: -1 });

export type OutboxMessageDoc = InferSchemaType<typeof outboxMessageSchema>;
