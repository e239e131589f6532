// Partner status changes by operators (DESIGN.md §6): frozen withholds payouts, disabled also
// reverses every unpaid commission, active releases a freeze. Each change is audited.
import { randomUUID } from 'node:crypto';
import { netCommissions } from '../domain/ledger';
import { DomainError } from '../domain/errors';
import type { PartnerStatus } from '../models/partner';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { appendLedgerEntry } from './ledger-writer';
import { emitWebhookEvent } from './webhook-events';

export const settableStatuses = ['active', 'frozen', 'disabled'] as const satisfies readonly PartnerStatus[];
export type SettableStatus = (typeof settableStatuses)[number];

export interface StatusChange {
  partnerId: string;
  status: SettableStatus;
  reason: string;
  actor: string;
}

export async function changePartnerStatus(deps: ServiceDeps, change: StatusChange) {
  const { models } = deps;
  const partner = await models.Partner.findById(change.partnerId, { status: 1 }).lean();
  if (!partner) throw new DomainError('not-found', `No partner ${change.partnerId}.`, 'partner-not-found');
  await models.Partner.updateOne({ _id: change.partnerId }, { $set: { status: change.status } });
  await emitWebhookEvent(models, 'partner.status_changed', `${change.partnerId}:${randomUUID()}`, {
    partnerId: change.partnerId,
    from: partner.status,
    to: change.status,
    reason: change.reason,
  });
  const reversed = change.status === 'disabled' ? await reverseUnpaidCommissions(deps, change.partnerId) : undefined;
  await audit(deps, {
    actor: change.actor,
    action: 'partner.status',
    subject: `partner:${change.partnerId}`,
    reason: change.reason,
    details: { from: partner.status, to: change.status, ...(reversed ? { reversed } : {}) },
  });
  return {
    partnerId: change.partnerId,
    from: partner.status,
    status: change.status,
    ...(reversed ? { reversed } : {}),
  };
}

/**
 * Reverses what is left of every commission not claimed by a payout. Keyed
 * `disable-reversal:<commissionId>`, so running it again (a second disable, a failed payout item
 * of a disabled partner) adds nothing twice.
 */
export async function reverseUnpaidCommissions({ models }: Pick<ServiceDeps, 'models'>, partnerId: string) {
  const [entries, claims] = await Promise.all([
    models.LedgerEntry.find({ partnerId }).lean(),
    models.PayoutClaim.find({ partnerId }, { _id: 1 }).lean(),
  ]);
  const claimed = new Set(claims.map((claim) => claim._id));
  const net = netCommissions(entries);
  const now = new Date();
  const reversals = entries
    .filter((entry) => entry.kind === 'commission' && !claimed.has(entry._id) && (net.get(entry._id) ?? 0) > 0)
    .map((entry) => ({
      _id: `disable-reversal:${entry._id}`,
      partnerId,
      kind: 'reversal' as const,
      amount: -net.get(entry._id)!,
      currency: entry.currency,
      customerId: entry.customerId ?? undefined,
      eventId: entry.eventId,
      reverses: entry._id,
      occurredAt: now,
      // Folded into the commission it cancels: same availableAt (see domain/ledger.ts).
      availableAt: entry.availableAt,
    }));
  let inserted = 0;
  let amount = 0;
  for (const reversal of reversals) {
    if (!(await appendLedgerEntry(models, reversal))) continue;
    inserted += 1;
    amount += reversal.amount;
  }
  return { count: inserted, amount };
}
