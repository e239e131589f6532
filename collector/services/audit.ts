// The audit log: every partner status change and operator action, with who, what, why and when.
// Each entry is also copied into its subject's trail, a keyed log (domain/keyed-log.ts) the
// partner page reads a page at a time by `_id`; the audit log itself stays the program-wide list
// (GET /v1/admin/audit) and what checks read.
import { Types } from 'mongoose';
import type { ServiceDeps } from './deps';
import type { AuditTrailEntryDoc } from '../models/audit-trail-entry';
import { appendToLog, readLogPage } from './keyed-log';

export interface AuditRecord {
  actor: string;
  action: string;
  /** What it was done to: `partner:<id>`, `payout:<id>`, `banner:<id>`, `admin:<id>`. */
  subject: string;
  reason?: string;
  details?: Record<string, unknown>;
}

type Deps = Pick<ServiceDeps, 'models'>;

/** The subject comes first in the key, as a shard key would. */
export const auditStream = (subject: string) => `${subject}|audit`;

/** What the trail keeps of an audit log entry (what a write copies and the migration rebuilds). */
export const trailEntry = (auditId: string, record: AuditRecord & { at: Date }) => ({
  auditId,
  actor: record.actor,
  action: record.action,
  subject: record.subject,
  ...(record.reason === undefined ? {} : { reason: record.reason }),
  ...(record.details === undefined ? {} : { details: record.details }),
  at: record.at,
});

/**
 * The trail first, then the log marked as copied: a crash between the two loses the entry from the
 * program-wide list but never from the subject's page, and the one-time move of older entries
 * (services/keyed-lists-migration.ts) never copies a marked entry a second time.
 */
export async function audit({ models }: Deps, record: AuditRecord): Promise<void> {
  const auditId = new Types.ObjectId();
  const at = new Date();
  await appendToLog(
    models.AuditTrailEntry.collection,
    auditStream(record.subject),
    trailEntry(auditId.toHexString(), { ...record, at }),
  );
  await models.AuditEntry.create({ _id: auditId, ...record, at, listed: true });
}

export type AuditView = Omit<AuditRecord, 'details'> & { details?: Record<string, unknown>; at: Date };

/** A page of a subject's trail, newest first, below the entry `after` names. */
export async function auditTrail(
  { models }: Deps,
  subject: string,
  page: { limit: number; after?: string | undefined },
): Promise<{ items: AuditView[]; nextAfter: string | null }> {
  const { items, nextAfter } = await readLogPage<AuditTrailEntryDoc>(
    models.AuditTrailEntry.collection,
    auditStream(subject),
    page,
  );
  return {
    items: items.map(({ actor, action, subject: about, reason, details, at }) => ({
      actor,
      action,
      subject: about,
      ...(reason === undefined || reason === null ? {} : { reason }),
      ...(details === undefined || details === null ? {} : { details: details as Record<string, unknown> }),
      at,
    })),
    nextAfter,
  };
}
