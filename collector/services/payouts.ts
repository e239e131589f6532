// Payout runs: per partner, claim the available unpaid ledger entries for one batch (unique-key
// claims: two runs at once never claim one entry twice), decide paid or withheld, and complete
// the batch later (failed items free their entries). No transactions anywhere.
import { randomBytes } from 'node:crypto';
import { claimableEntries, type LedgerLine } from '../domain/ledger';
import { decidePayout, sumAmounts, type WithheldReason } from '../domain/payout';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import { audit } from './audit';
import { insertNew } from './duplicates';
import type { ServiceDeps } from './deps';
import { reverseUnpaidCommissions } from './partner-status';
import { emitWebhookEvent } from './webhook-events';

export interface PayoutItemView {
  partnerId: string;
  amount: number;
  payoutEmail: string;
}

export interface WithheldView {
  partnerId: string;
  balance: number;
  reason: WithheldReason | 'claimed-by-another-run';
}

export interface PayoutRun {
  /** null for a preview. */
  payoutId: string | null;
  asOf: Date;
  currency: string;
  items: PayoutItemView[];
  withheld: WithheldView[];
}

/** A run still claiming after this long has died (a 1,000-partner run takes seconds). */
export const abandonedAfterMs = 15 * 60_000;

const newPayoutId = (asOf: Date) =>
  `po_${asOf.toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(4).toString('hex')}`;

/** Claims the entries for the batch; returns the ids this run won (another run may hold the rest). */
async function claim(models: Models, payoutId: string, partnerId: string, entryIds: string[]): Promise<Set<string>> {
  const claimedAt = new Date();
  const docs = entryIds.map((_id) => ({ _id, payoutId, partnerId, claimedAt }));
  try {
    const fresh = await insertNew(models.PayoutClaim, docs);
    return new Set(entryIds.filter((_id, index) => fresh[index]));
  } catch (error) {
    await models.PayoutClaim.deleteMany({ payoutId, partnerId });
    throw error;
  }
}

interface PlannedItem extends PayoutItemView {
  claimable: LedgerLine[];
}

/** Who would be paid at `asOf`, from the available unclaimed entries; nothing is written. */
async function planPayout(
  { config, models }: ServiceDeps,
  asOf: Date,
): Promise<{ pay: PlannedItem[]; withheld: WithheldView[] }> {
  const [entries, claims] = await Promise.all([
    models.LedgerEntry.find(
      { availableAt: { $lte: asOf } },
      { partnerId: 1, kind: 1, amount: 1, reverses: 1, availableAt: 1 },
    ).lean(),
    models.PayoutClaim.find({}, { _id: 1 }).lean(),
  ]);
  const claimed = new Set(claims.map((doc) => doc._id));
  const lines = entries.map(({ _id, partnerId, kind, amount, reverses, availableAt }) => ({
    _id,
    partnerId,
    kind,
    amount,
    reverses,
    availableAt,
  }));
  const byPartner = new Map<string, LedgerLine[]>();
  for (const entry of claimableEntries(lines, claimed, asOf)) {
    const list = byPartner.get(entry.partnerId) ?? [];
    list.push(entry);
    byPartner.set(entry.partnerId, list);
  }
  const partners = await models.Partner.find(
    { _id: { $in: [...byPartner.keys()] } },
    { status: 1, payoutEmail: 1 },
  ).lean();
  const partnerById = new Map(partners.map((partner) => [partner._id, partner]));

  const pay: PlannedItem[] = [];
  const withheld: WithheldView[] = [];
  for (const [partnerId, claimable] of [...byPartner].sort(([a], [b]) => a.localeCompare(b))) {
    const partner = partnerById.get(partnerId) ?? { status: 'disabled' as const, payoutEmail: undefined };
    const decision = decidePayout(partner, claimable, config.minPayout);
    if (decision.pay) pay.push({ partnerId, amount: decision.amount, payoutEmail: partner.payoutEmail!, claimable });
    else if (decision.balance !== 0) withheld.push({ partnerId, balance: decision.balance, reason: decision.reason });
  }
  return { pay, withheld };
}

/** A payout run; with `preview` only the plan (no batch, no claims, payoutId null). */
export async function runPayout(
  deps: ServiceDeps,
  options: { asOf: Date; actor: string; preview?: boolean },
): Promise<PayoutRun> {
  const { config, models } = deps;
  const { asOf, actor } = options;
  await releaseAbandonedRuns(deps, actor);
  const plan = await planPayout(deps, asOf);
  const view = (payoutId: string | null, items: PayoutItemView[], withheld: WithheldView[]): PayoutRun => ({
    payoutId,
    asOf,
    currency: config.currency,
    items: items.map(({ partnerId, amount, payoutEmail }) => ({ partnerId, amount, payoutEmail })),
    withheld,
  });
  if (options.preview) return view(null, plan.pay, plan.withheld);

  const payoutId = newPayoutId(asOf);
  // The batch exists before any claim, so claims never point at a batch nobody can see.
  await models.Payout.create({
    _id: payoutId,
    asOf,
    currency: config.currency,
    status: 'claiming',
    items: [],
    withheld: [],
    createdBy: actor,
    createdAt: new Date(),
  });
  const items: Array<PayoutItemView & { entryIds: string[] }> = [];
  const withheld = [...plan.withheld];
  for (const planned of plan.pay) {
    const { partnerId, claimable } = planned;
    const won = await claim(
      models,
      payoutId,
      partnerId,
      claimable.map((entry) => entry._id),
    );
    const wonEntries = claimable.filter((entry) => won.has(entry._id));
    if (wonEntries.length === 0) continue; // a concurrent run has this partner
    const amount = sumAmounts(wonEntries);
    if (wonEntries.length < claimable.length && amount < config.minPayout) {
      // Lost part of the balance to a concurrent run and what is left is too little: let it go.
      await models.PayoutClaim.deleteMany({ payoutId, partnerId });
      withheld.push({ partnerId, balance: amount, reason: 'claimed-by-another-run' });
      continue;
    }
    items.push({ partnerId, amount, payoutEmail: planned.payoutEmail, entryIds: wonEntries.map((entry) => entry._id) });
  }

  await models.Payout.updateOne({ _id: payoutId }, { $set: { items, withheld, status: 'open' } });
  await emitWebhookEvent(models, 'payout.created', payoutId, {
    payoutId,
    asOf,
    currency: config.currency,
    total: sumAmounts(items),
    items: items.map(({ partnerId, amount }) => ({ partnerId, amount })),
  });
  await audit(deps, {
    actor,
    action: 'payout.run',
    subject: `payout:${payoutId}`,
    details: { asOf, items: items.length, total: sumAmounts(items), withheld: withheld.length },
  });
  return view(payoutId, items, withheld);
}

/**
 * A run that died between claiming entries and writing its items would leave those entries locked
 * to a batch that pays nobody. Its claims are released (the entries are payable again) and the
 * batch is marked abandoned.
 */
async function releaseAbandonedRuns(deps: ServiceDeps, actor: string): Promise<void> {
  const { models } = deps;
  const cutoff = new Date(Date.now() - abandonedAfterMs);
  const stale = await models.Payout.find({ status: 'claiming', createdAt: { $lt: cutoff } }, { _id: 1 }).lean();
  for (const { _id: payoutId } of stale) {
    const released = await models.PayoutClaim.deleteMany({ payoutId });
    await models.Payout.updateOne({ _id: payoutId, status: 'claiming' }, { $set: { status: 'abandoned' } });
    await audit(deps, {
      actor,
      action: 'payout.abandon',
      subject: `payout:${payoutId}`,
      details: { releasedEntries: released.deletedCount },
    });
  }
}

export async function findPayout({ models }: Pick<ServiceDeps, 'models'>, payoutId: string) {
  const payout = await models.Payout.findById(payoutId).lean();
  if (!payout) throw new DomainError('not-found', `No payout ${payoutId}.`, 'payout-not-found');
  return payout;
}

export function payoutView(payout: Awaited<ReturnType<typeof findPayout>>) {
  return {
    payoutId: payout._id,
    asOf: payout.asOf,
    currency: payout.currency,
    status: payout.status,
    total: sumAmounts(payout.items),
    items: payout.items.map(({ partnerId, amount, payoutEmail, status, entryIds }) => ({
      partnerId,
      amount,
      payoutEmail,
      status,
      entries: entryIds.length,
    })),
    withheld: payout.withheld,
    createdBy: payout.createdBy,
    createdAt: payout.createdAt,
    completedAt: payout.completedAt ?? null,
  };
}

/**
 * Marks the batch paid. Items reported failed get their claims deleted: those entries are back
 * in the balance for the next run (and reversed at once for a partner disabled meanwhile).
 * Repeating the same completion answers the same (it also finishes one that crashed halfway).
 */
export async function completePayout(
  deps: ServiceDeps,
  options: { payoutId: string; failed: string[]; actor: string; note?: string | undefined },
) {
  const { models } = deps;
  const payout = await findPayout(deps, options.payoutId);
  const failed = new Set(options.failed);
  const itemIds = new Set(payout.items.map((item) => item.partnerId));
  const unknown = [...failed].filter((id) => !itemIds.has(id));
  if (unknown.length) {
    throw new DomainError('invalid', `Not in this batch: ${unknown.join(', ')}.`, 'invalid-request', {
      fields: [{ field: 'failed', message: `not items of payout ${payout._id}: ${unknown.join(', ')}` }],
    });
  }
  const items = payout.items.map((item) => ({
    ...item,
    status: failed.has(item.partnerId) ? ('failed' as const) : ('paid' as const),
  }));
  if (payout.status === 'claiming' || payout.status === 'abandoned') {
    throw new DomainError(
      'conflict',
      `Payout ${payout._id} is ${payout.status === 'claiming' ? 'still being created' : 'abandoned'}.`,
      'payout-not-open',
    );
  }
  if (payout.status === 'completed') {
    const sameAnswer = payout.items.every((item) => (item.status === 'failed') === failed.has(item.partnerId));
    if (!sameAnswer)
      throw new DomainError(
        'conflict',
        `Payout ${payout._id} was already completed with other failed items.`,
        'payout-completed',
      );
  } else {
    await models.Payout.updateOne(
      { _id: payout._id, status: 'open' },
      { $set: { status: 'completed', completedAt: new Date(), items } },
    );
  }
  // Also on a repeated completion: the first one may have stopped before recording the event.
  await emitWebhookEvent(models, 'payout.completed', payout._id, {
    payoutId: payout._id,
    currency: payout.currency,
    items: items.map(({ partnerId, amount, status }) => ({ partnerId, amount, status })),
  });
  if (failed.size) {
    await models.PayoutClaim.deleteMany({ payoutId: payout._id, partnerId: { $in: [...failed] } });
    const disabled = await models.Partner.find({ _id: { $in: [...failed] }, status: 'disabled' }, { _id: 1 }).lean();
    for (const partner of disabled) await reverseUnpaidCommissions(deps, partner._id);
  }
  if (payout.status !== 'completed') {
    await audit(deps, {
      actor: options.actor,
      action: 'payout.complete',
      subject: `payout:${payout._id}`,
      ...(options.note ? { reason: options.note } : {}),
      details: { paid: items.filter((item) => item.status === 'paid').length, failed: [...failed] },
    });
  }
  return payoutView(await findPayout(deps, payout._id));
}
