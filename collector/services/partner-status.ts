// Partner status changes by operators: frozen withholds payouts, disabled also reverses every
// unpaid commission (commission-fate.ts), active releases a freeze. Each change is audited.
import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/errors';
import type { PartnerStatus } from '../models/partner';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { reverseUnpaidCommissions } from './commission-fate';
import { seam } from './seams';
import { notifyPartner } from './partner-notifications';
import { emitWebhookEvent, statusFact } from './webhook-events';

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
  const changeId = `${change.partnerId}:${randomUUID()}`;
  // The event first, released once the change is stored (its ID pushed with the status).
  await emitWebhookEvent(
    models,
    'partner.status_changed',
    changeId,
    { partnerId: change.partnerId, from: partner.status, to: change.status, reason: change.reason },
    { awaits: statusFact(change.partnerId, changeId) },
  );
  await seam('partner.status:event-recorded');
  await models.Partner.updateOne(
    { _id: change.partnerId },
    { $set: { status: change.status }, $push: { statusChanges: changeId } },
  );
  // Other collector processes pick the change up when their cache entry expires (seconds).
  deps.tracking?.partners.forget(change.partnerId);
  let reversed: Awaited<ReturnType<typeof reverseUnpaidCommissions>> | undefined;
  if (change.status === 'disabled') {
    // Status first, sweep second: whatever raced us (an invoice, a payout run, a failed payout
    // item) either is seen by this sweep or sees the new status and reverses its own commission.
    await seam('partner.disable:status-set');
    reversed = await reverseUnpaidCommissions(models, change.partnerId);
  }
  await audit(deps, {
    actor: change.actor,
    action: 'partner.status',
    subject: `partner:${change.partnerId}`,
    reason: change.reason,
    details: { from: partner.status, to: change.status, ...(reversed ? { reversed } : {}) },
  });
  if (partner.status !== change.status)
    await notifyPartner(deps, change.partnerId, 'statusChange', {
      key: changeId,
      subject: `Your Ashop partner account is now ${change.status}`,
      lines: [
        `your Ashop partner account changed from ${partner.status} to ${change.status}.`,
        `Reason: ${change.reason}`,
      ],
    });
  return {
    partnerId: change.partnerId,
    from: partner.status,
    status: change.status,
    ...(reversed ? { reversed } : {}),
  };
}
