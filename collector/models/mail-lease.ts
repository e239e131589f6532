import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Attempt n of a mail job is made by whoever inserts `<jobId>:<n>` first, so several collector
 * processes never send one job at once. A lease older than the sender's lease time belongs to a
 * process that died; its attempt counts as failed.
 */
export const mailLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    owner: { type: String, required: true },
    takenAt: { type: Date, required: true },
  },
  { collection: 'mail_leases', versionKey: false },
);

export type MailLeaseDoc = InferSchemaType<typeof mailLeaseSchema>;
