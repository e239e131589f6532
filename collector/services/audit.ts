// The audit log: every partner status change and operator action, with who, what, why and when.
import type { ServiceDeps } from './deps';

export interface AuditRecord {
  actor: string;
  action: string;
  /** What it was done to: `partner:<id>`, `payout:<id>`, `banner:<id>`, `admin:<id>`. */
  subject: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export async function audit({ models }: Pick<ServiceDeps, 'models'>, record: AuditRecord): Promise<void> {
  await models.AuditEntry.create({ ...record, at: new Date() });
}
