import { Schema, type InferSchemaType } from 'mongoose';

/**
 * One subject's audit trail, newest first by key: entry n of the keyed log `<subject>|audit`
 * (domain/keyed-log.ts), a copy of the audit log entry `auditId` (models/audit-entry.ts), so the
 * partner page reads a page of it by `_id` instead of filtering the whole audit log.
 */
export const auditTrailEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    auditId: { type: String, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    subject: { type: String, required: true },
    reason: { type: String },
    details: { type: Schema.Types.Mixed },
    at: { type: Date, required: true },
  },
  { collection: 'audit_trails', versionKey: false },
);

export type AuditTrailEntryDoc = InferSchemaType<typeof auditTrailEntrySchema>;
