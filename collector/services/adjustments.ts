// Manual adjustments: an operator's bonus (positive) or correction (negative) for one partner, with
// a required reason. Each is a ledger entry of its own kind, `adjustment:<idempotency key>`,
// available at once or from the date given, and claimed by the next payout like any entry.
import { DomainError } from '../domain/errors';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { appendLedgerEntry } from './ledger-writer';

export interface AdjustmentInput {
  partnerId: string;
  /** Minor units, not 0. */
  amount: number;
  reason: string;
  idempotencyKey: string;
  /** From when a payout may include it; default now. */
  availableAt?: Date | undefined;
  actor: string;
}

export const adjustmentEntryId = (key: string) => `adjustment:${key}`;

export async function addAdjustment(deps: ServiceDeps, input: AdjustmentInput) {
  const { config, models } = deps;
  const partner = await models.Partner.findById(input.partnerId, { status: 1 }).lean();
  if (!partner) throw new DomainError('not-found', `No partner ${input.partnerId}.`, 'partner-not-found');
  if (partner.status === 'disabled')
    throw new DomainError('conflict', 'A disabled partner cannot get adjustments.', 'partner-disabled');
  const now = new Date();
  const entry = {
    _id: adjustmentEntryId(input.idempotencyKey),
    partnerId: input.partnerId,
    kind: 'adjustment' as const,
    amount: input.amount,
    currency: config.currency,
    eventId: input.idempotencyKey,
    memo: input.reason,
    occurredAt: now,
    availableAt: input.availableAt ?? now,
  };
  const created = await appendLedgerEntry(models, entry);
  const stored = (await models.LedgerEntry.findById(entry._id).lean())!;
  if (
    !created &&
    (stored.partnerId !== entry.partnerId || stored.amount !== entry.amount || stored.memo !== entry.memo)
  )
    throw new DomainError(
      'conflict',
      'This idempotency key was used for a different adjustment.',
      'idempotency-key-reused',
    );
  // A retry after a crash between the two writes still leaves its audit record (once).
  const audited =
    !created &&
    (await models.AuditEntry.exists({
      subject: `partner:${input.partnerId}`,
      action: 'partner.adjustment',
      'details.entryId': entry._id,
    }));
  if (!audited)
    await audit(deps, {
      actor: input.actor,
      action: 'partner.adjustment',
      subject: `partner:${input.partnerId}`,
      reason: input.reason,
      details: { entryId: entry._id, amount: entry.amount, availableAt: stored.availableAt },
    });
  return {
    created,
    entry: {
      entryId: stored._id,
      partnerId: stored.partnerId,
      kind: stored.kind,
      amount: stored.amount,
      currency: stored.currency,
      memo: stored.memo ?? null,
      occurredAt: stored.occurredAt,
      availableAt: stored.availableAt,
    },
  };
}
