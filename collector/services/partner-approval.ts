// The approval queue (ASHOP_PARTNER_APPROVAL=manual): a confirmed partner waits in
// `pending_approval` until an operator approves (active) or rejects (disabled) the application.
// The partner is told by email; the portal shows the status meanwhile.
import { DomainError } from '../domain/errors';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { queueMail } from './mail-queue';
import { claimOnce } from './claim-once';
import { partnerLink } from './partner-accounts';
import { emitWebhookEvent, statusFact } from './webhook-events';

export type ApprovalDecision = 'approve' | 'reject';

export async function approvalQueue({ models }: Pick<ServiceDeps, 'models'>) {
  // Operators only, and the queue is short: a status scan is fine here.
  const waiting = await models.Partner.find(
    { status: 'pending_approval' },
    { email: 1, name: 1, website: 1, createdAt: 1 },
  )
    .sort({ createdAt: 1 })
    .limit(500)
    .lean();
  return waiting.map((partner) => ({
    partnerId: partner._id,
    name: partner.name,
    email: partner.email,
    website: partner.website ?? null,
    createdAt: (partner as { createdAt?: Date }).createdAt ?? null,
  }));
}

/**
 * Approves or rejects a waiting application, once: the decision is taken by inserting
 * `approval:<partnerId>`, so two operators deciding at the same time cannot both act (nor mail,
 * nor record a second `partner.status_changed`).
 */
export async function decideApproval(
  deps: ServiceDeps,
  input: { partnerId: string; decision: ApprovalDecision; reason: string; actor: string },
) {
  const { config, models } = deps;
  const partner = await models.Partner.findById(input.partnerId, { status: 1, email: 1, name: 1 }).lean();
  if (!partner) throw new DomainError('not-found', `No partner ${input.partnerId}.`, 'partner-not-found');
  const notWaiting = () =>
    new DomainError('conflict', `Partner ${input.partnerId} is not waiting for approval.`, 'not-awaiting-approval');
  if (partner.status !== 'pending_approval') throw notWaiting();
  if (!(await claimOnce(models, `approval:${partner._id}`, input.actor)).won) throw notWaiting();
  const status = input.decision === 'approve' ? 'active' : 'disabled';
  const changeId = `${partner._id}:approval`;
  // The event first, released once the change is stored (services/webhook-events.ts).
  await emitWebhookEvent(
    models,
    'partner.status_changed',
    changeId,
    { partnerId: partner._id, from: 'pending_approval', to: status, reason: input.reason },
    { awaits: statusFact(partner._id, changeId) },
  );
  await models.Partner.updateOne({ _id: partner._id }, { $set: { status }, $push: { statusChanges: changeId } });
  deps.tracking?.partners.forget(partner._id);
  await audit(deps, {
    actor: input.actor,
    action: 'partner.status',
    subject: `partner:${partner._id}`,
    reason: input.reason,
    details: { from: 'pending_approval', to: status, decision: input.decision },
  });
  await queueMail(deps.models, {
    key: `approval:${partner._id}`,
    to: partner.email,
    subject:
      input.decision === 'approve'
        ? 'Your Ashop partner account is approved'
        : 'Your Ashop partner application was not approved',
    text: (input.decision === 'approve'
      ? [
          `Hello ${partner.name},`,
          '',
          'welcome aboard: your Ashop partner account is approved. Your link counts from now on:',
          '',
          partnerLink(config, partner._id),
          '',
          `Log in to your dashboard: ${config.siteUrl}/partners/login`,
        ]
      : [
          `Hello ${partner.name},`,
          '',
          'thank you for applying to the Ashop Partner Program. We cannot approve your application at this time.',
        ]
    ).join('\n'),
  });
  return { partnerId: partner._id, from: 'pending_approval' as const, status };
}
