import { Schema, type InferSchemaType } from 'mongoose';

/**
 * An email waiting to be sent (or sent). `_id` is a key derived from what the mail is about
 * (`reset:<token hash>`, …): queueing the same fact twice finds it already there.
 */
export const mailJobSchema = new Schema(
  {
    _id: { type: String, required: true },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    /** A notification's one-click unsubscribe URL, sent as `List-Unsubscribe`. */
    unsubscribeUrl: { type: String },
    status: { type: String, enum: ['pending', 'sent', 'failed'], required: true },
    attempts: { type: Number, required: true },
    dueAt: { type: Date, required: true },
    lastError: { type: String },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date },
  },
  { collection: 'mail_jobs', versionKey: false },
);
mailJobSchema.index({ status: 1, dueAt: 1 });

export type MailJobDoc = InferSchemaType<typeof mailJobSchema>;
