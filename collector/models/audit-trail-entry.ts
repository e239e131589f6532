import { Schema, type InferSchemaType } from 'mongoose';
import { auditRecordFields } from './audit-entry';

/**
 * One subject's audit trail, newest first by key: entry n of the keyed log `<subject>|audit`
 * (domain/keyed-log.ts), a copy of the audit log entry `auditId` (models/audit-entry.ts), so the
 * partner page reads a page of it by `_id` instead of filtering the whole audit log.
 */
export const auditTrailEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    auditId: { type: String, required: true },
    ...auditRecordFields,
  },
  { collection: 'audit_trails', versionKey: false },
);

export type AuditTrailEntryDoc = InferSchemaType<typeof auditTrailEntrySchema>;
