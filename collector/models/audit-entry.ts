import { Schema, type InferSchemaType } from 'mongoose';

/** What an audit record says (the log's entries and their copies in each subject's trail). */
export const auditRecordFields = {
  actor: { type: String, required: true },
  action: { type: String, required: true },
  subject: { type: String, required: true },
  reason: { type: String },
  details: { type: Schema.Types.Mixed },
  at: { type: Date, required: true },
} as const;

/** Who did what to which partner (or payout), when and why. Append-only. */
export const auditEntrySchema = new Schema(
  {
    ...auditRecordFields,
    /** Copied into its subject's trail (models/audit-trail-entry.ts) when written; older ones are moved once. */
    listed: { type: Boolean },
  },
  { collection: 'audit_log', versionKey: false },
);
auditEntrySchema.index({ subject: 1, at: -1 });

export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema>;
