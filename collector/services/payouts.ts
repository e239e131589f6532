// Payout batches, a state machine whose every transition is one unique insert (claim-once):
//
//   (run) ─► claiming ──sealed{open}──► open ──completed{failed}──► completed
//                └──────sealed{abandoned}──► abandoned (claims released; never reopened)
//
// `payout:<id>:sealed` decides between a run finishing and a later run abandoning it;
// `payout:<id>:completed` decides between two completions. Each commission a batch pays is taken
// by winning its fate (commission-fate.ts), so a disable can never reverse it as well.
import { randomBytes } from 'node:crypto';
import { claimableEntries, type LedgerLine } from '../domain/ledger';
import {
  completedKey,
  decidePayout,
  sealedKey,
  sumAmounts,
  withheldReason,
  type Batch,
  type WithheldReason,
} from '../domain/payout';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { PartnerStatus } from '../models/partner';
import { audit } from './audit';
import { claimMany, claimOnce, findClaim, releaseClaims } from './claim-once';
import { fateKey, payoutHolder, reverseUnpaidCommissions } from './commission-fate';
import { insertNew } from './duplicates';
import { recordClaimDeltas } from './money-fold';
import { recordPartnerPayouts } from './partner-payouts';
import { itemEntryIds, recordItemEntries } from './payout-entries';
import type { ServiceDeps } from './deps';
import { formatMinor } from '../domain/money';
import { notifyPartner } from './partner-notifications';
import { seam } from './seams';
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
  /** null for a preview, and for a run that found nobody to pay (no batch is created). */
  payoutId: string | null;
  asOf: Date;
  /** A preview of a date still to come: what would be payable then if nothing changes. */
  forecast: boolean;
  currency: string;
  items: PayoutItemView[];
  withheld: WithheldView[];
}

/** A run still claiming after this long has died (a 1,000-partner run takes seconds). */
export const abandonedAfterMs = 15 * 60_000;

export { completedKey, sealedKey };
interface Sealed {
  outcome: 'open' | 'abandoned';
}
interface Completed {
  failed: string[];
}

const newPayoutId = (asOf: Date) =>
  `po_${asOf.toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(4).toString('hex')}`;

interface PartnerPlan {
  partnerId: string;
  status: PartnerStatus;
  payoutEmail: string | undefined;
  claimable: LedgerLine[];
}

/**
 * Every partner's available, unclaimed entries at `asOf`, one partner at a time: the ledger and
 * the payout claims are both read in partner order and merged, so memory holds one partner's
 * entries, never the whole ledger.
 */
async function* partnerPlans(models: Models, asOf: Date): AsyncGenerator<PartnerPlan> {
  const ledger = models.LedgerEntry.find(
    { availableAt: { $lte: asOf } },
    { partnerId: 1, kind: 1, amount: 1, reverses: 1, availableAt: 1 },
  )
    .sort({ partnerId: 1, _id: 1 })
    .lean()
    .cursor();
  const claims = models.PayoutClaim.find({}, { _id: 1, partnerId: 1 }).sort({ partnerId: 1 }).lean().cursor();
  let nextClaim = await claims.next();
  const claimedOf = async (partnerId: string) => {
    const claimed = new Set<string>();
    while (nextClaim && nextClaim.partnerId <= partnerId) {
      if (nextClaim.partnerId === partnerId) claimed.add(nextClaim._id);
      nextClaim = await claims.next();
    }
    return claimed;
  };
  const finish = async (partnerId: string, entries: LedgerLine[]): Promise<PartnerPlan | undefined> => {
    const claimable = claimableEntries(entries, await claimedOf(partnerId), asOf);
    if (claimable.length === 0) return undefined;
    const partner = await models.Partner.findById(partnerId, { status: 1, payoutEmail: 1 }).lean();
    return {
      partnerId,
      status: partner?.status ?? 'disabled',
      payoutEmail: partner?.payoutEmail ?? undefined,
      claimable,
    };
  };
  try {
    let current: string | undefined;
    let entries: LedgerLine[] = [];
    for await (const { _id, partnerId, kind, amount, reverses, availableAt } of ledger) {
      if (partnerId !== current) {
        const plan = current === undefined ? undefined : await finish(current, entries);
        if (plan) yield plan;
        current = partnerId;
        entries = [];
      }
      entries.push({ _id, kind, amount, reverses, availableAt });
    }
    const plan = current === undefined ? undefined : await finish(current, entries);
    if (plan) yield plan;
  } finally {
    await Promise.all([ledger.close(), claims.close()]);
  }
}

/**
 * Locks a partner's entries to the batch: first the fate of each commission, then a payout claim
 * per entry. Reversals of a commission the batch did not get stay with that commission. Returns
 * the entries this batch holds.
 */
async function claimForBatch(models: Models, payoutId: string, plan: PartnerPlan): Promise<LedgerLine[]> {
  const holder = payoutHolder(payoutId);
  const commissions = plan.claimable.filter((entry) => entry.kind === 'commission');
  const fates = await claimMany(
    models,
    commissions.map((entry) => fateKey(entry._id)),
    holder,
  );
  await seam('payout.run:fates-taken');
  const lost = new Set(commissions.filter((_entry, index) => !fates[index]).map((entry) => entry._id));
  const wanted = plan.claimable.filter((entry) =>
    entry.kind === 'commission' ? !lost.has(entry._id) : !(entry.reverses && lost.has(entry.reverses)),
  );
  const claimedAt = new Date();
  await recordClaimDeltas(
    models,
    payoutId,
    wanted.map((entry) => entry._id),
    true,
  );
  const fresh = await insertNew(
    models.PayoutClaim,
    wanted.map((entry) => ({ _id: entry._id, payoutId, partnerId: plan.partnerId, claimedAt })),
  );
  const won = wanted.filter((_entry, index) => fresh[index]);
  const unlocked = wanted.filter((entry, index) => !fresh[index] && entry.kind === 'commission');
  if (unlocked.length)
    await releaseClaims(
      models,
      holder,
      unlocked.map((entry) => fateKey(entry._id)),
    );
  return won;
}

/** Gives a partner's entries in this batch back: payout claims first, then the fates. */
async function releasePartner(models: Models, payoutId: string, partnerId: string, entryIds: readonly string[]) {
  await recordClaimDeltas(models, payoutId, entryIds, false);
  await models.PayoutClaim.deleteMany({ payoutId, partnerId });
  await releaseClaims(models, payoutHolder(payoutId), entryIds.map(fateKey));
}

/** A payout run; with `preview` only the plan (no batch, no claims, payoutId null). */
export async function runPayout(
  deps: ServiceDeps,
  options: { asOf: Date; actor: string; preview?: boolean },
  now = new Date(),
): Promise<PayoutRun> {
  const { config, models } = deps;
  const { asOf, actor } = options;
  const forecast = asOf.getTime() > now.getTime();
  if (forecast && !options.preview) {
    throw new DomainError('invalid', 'A payout run cannot be dated in the future.', 'as-of-in-future', {
      fields: [{ field: 'asOf', message: 'must not be in the future (a preview may forecast)' }],
    });
  }
  const view = (payoutId: string | null, items: PayoutItemView[], withheld: WithheldView[]): PayoutRun => ({
    payoutId,
    asOf,
    forecast,
    currency: config.currency,
    items: items.map(({ partnerId, amount, payoutEmail }) => ({ partnerId, amount, payoutEmail })),
    withheld,
  });

  const withheld: WithheldView[] = [];
  if (options.preview) {
    const items: PayoutItemView[] = [];
    for await (const plan of partnerPlans(models, asOf)) {
      const decision = decidePayout(plan, plan.claimable, config.minPayout);
      if (decision.pay)
        items.push({ partnerId: plan.partnerId, amount: decision.amount, payoutEmail: plan.payoutEmail! });
      else if (decision.balance !== 0) withheld.push({ partnerId: plan.partnerId, ...decision });
    }
    return view(
      null,
      items,
      withheld.map(({ partnerId, balance, reason }) => ({ partnerId, balance, reason })),
    );
  }

  await settleBatches(deps, actor);
  const payoutId = newPayoutId(asOf);
  const createdAt = new Date();
  let created = false;
  const items: Array<PayoutItemView & { entries: number; parts: number }> = [];
  for await (const plan of partnerPlans(models, asOf)) {
    const { partnerId } = plan;
    const decision = decidePayout(plan, plan.claimable, config.minPayout);
    if (!decision.pay) {
      if (decision.balance !== 0) withheld.push({ partnerId, balance: decision.balance, reason: decision.reason });
      continue;
    }
    if (!created) {
      // The batch exists before its first claim, so claims never point at a batch nobody can see.
      await models.Payout.create({
        _id: payoutId,
        asOf,
        currency: config.currency,
        status: 'claiming',
        items: [],
        withheld: [],
        listed: true,
        createdBy: actor,
        createdAt,
      });
      created = true;
    }
    await seam('payout.run:planned');
    const won = await claimForBatch(models, payoutId, plan);
    if (won.length === 0) continue; // a concurrent run has this partner
    const entryIds = won.map((entry) => entry._id);
    const amount = sumAmounts(won);
    await seam('payout.run:claimed');
    // Look at the partner again now that the entries are ours: a disable (or freeze) that came
    // meanwhile either swept before our fates (we did not get those commissions) or sees them
    // held here and leaves them; so the run gives them back and, for a disable, sweeps itself.
    const fresh = await models.Partner.findById(partnerId, { status: 1, payoutEmail: 1 }).lean();
    const current = { status: fresh?.status ?? ('disabled' as const), payoutEmail: fresh?.payoutEmail ?? null };
    const reason = withheldReason(current, amount, config.minPayout);
    if (reason) {
      await releasePartner(models, payoutId, partnerId, entryIds);
      if (current.status === 'disabled') await reverseUnpaidCommissions(models, partnerId);
      // Below the minimum only because a concurrent run took part of the balance.
      withheld.push({
        partnerId,
        balance: amount,
        reason: reason === 'below-minimum' ? 'claimed-by-another-run' : reason,
      });
      continue;
    }
    // The entries before the item that names them: an open batch can always give them back.
    const stored = await recordItemEntries(models, payoutId, partnerId, entryIds);
    items.push({ partnerId, amount, payoutEmail: current.payoutEmail!, ...stored });
  }

  if (items.length === 0) {
    // Everyone planned was lost to a concurrent run or a status change: no batch after all.
    if (created) await models.Payout.deleteOne({ _id: payoutId });
    return view(null, [], withheld);
  }
  // Items first, then the seal: an open batch always has its items.
  await models.Payout.updateOne({ _id: payoutId }, { $set: { items, withheld } });
  // Each partner's own list by key, before the seal: a batch that opens has them all.
  await recordPartnerPayouts(models, { _id: payoutId, asOf, currency: config.currency, createdAt }, items);
  await seam('payout.run:sealing');
  const sealed = await claimOnce<Sealed>(models, sealedKey(payoutId), payoutHolder(payoutId), { outcome: 'open' });
  if (!sealed.won) {
    // Taken for dead by a later run (this one ran past abandonedAfterMs): it released our claims;
    // release any written since, and never reopen it.
    await releaseAllOf(models, payoutId);
    throw new DomainError(
      'conflict',
      `Payout ${payoutId} took too long and was abandoned; run again.`,
      'payout-abandoned',
    );
  }
  await seam('payout.run:sealed');
  await openSealed(models, { _id: payoutId, asOf, currency: config.currency, items });
  await audit(deps, {
    actor,
    action: 'payout.run',
    subject: `payout:${payoutId}`,
    details: { asOf, items: items.length, total: sumAmounts(items), withheld: withheld.length },
  });
  return view(payoutId, items, withheld);
}

async function releaseAllOf(models: Models, payoutId: string): Promise<number> {
  const claims = await models.PayoutClaim.find({ payoutId }, { _id: 1 }).lean();
  await recordClaimDeltas(
    models,
    payoutId,
    claims.map((claim) => claim._id),
    false,
  );
  const released = await models.PayoutClaim.deleteMany({ payoutId });
  await releaseClaims(models, payoutHolder(payoutId));
  return released.deletedCount;
}

/**
 * A sealed batch is open: its status, and the `payout.created` event (keyed by the batch, so
 * recording it again after a crash adds nothing).
 */
async function openSealed(
  models: Models,
  payout: { _id: string; asOf: Date; currency: string; items: Array<{ partnerId: string; amount: number }> },
) {
  await models.Payout.updateOne({ _id: payout._id }, { $set: { status: 'open' } });
  await emitWebhookEvent(models, 'payout.created', payout._id, {
    payoutId: payout._id,
    asOf: payout.asOf,
    currency: payout.currency,
    total: sumAmounts(payout.items),
    items: payout.items.map(({ partnerId, amount }) => ({ partnerId, amount })),
  });
}

/**
 * Before a run plans, every batch a process left between two steps is brought to a state the
 * README's machine names, so no entry stays locked to a batch that will never pay it:
 * - completed by its claim but not in its status (a kill mid-completion): the completion's effects
 *   are applied again (failed items give their entries back);
 * - sealed `open` but still `claiming`: opened;
 * - claiming for longer than `abandonedAfterMs` (the run died before sealing): the next run takes
 *   the seal as `abandoned` (so the dead run, were it only slow, can never open it), then releases
 *   its claims and marks it abandoned.
 * Batches not yet completed are few (operators complete them), so listing them is cheap. Runs
 * before every run and when a collector starts; returns the batches whose status it moved on.
 */
export async function settleBatches(deps: ServiceDeps, actor: string): Promise<string[]> {
  const { models } = deps;
  const unsettled = await models.Payout.find({ status: { $in: ['claiming', 'open'] } }, { _id: 1, status: 1 }).lean();
  const cutoff = new Date(Date.now() - abandonedAfterMs);
  const stale: string[] = [];
  const moved: string[] = [];
  for (const { _id: payoutId, status } of unsettled) {
    const payout = await findPayout(deps, payoutId);
    if (payout.status !== status) moved.push(payoutId);
    else if (payout.status === 'claiming' && payout.createdAt < cutoff) stale.push(payoutId);
  }
  if (stale.length) await seam('payout.abandon:listed');
  for (const payoutId of stale) {
    const sealed = await claimOnce<Sealed>(models, sealedKey(payoutId), `abandon:${actor}`, { outcome: 'abandoned' });
    moved.push(payoutId);
    if (sealed.claim.data?.outcome === 'open') {
      // The run sealed it and stopped before writing its status.
      await openSealed(models, await loadPayout(models, payoutId));
      continue;
    }
    const releasedEntries = await releaseAllOf(models, payoutId);
    await models.Payout.updateOne({ _id: payoutId }, { $set: { status: 'abandoned' } });
    if (sealed.won) {
      await audit(deps, {
        actor,
        action: 'payout.abandon',
        subject: `payout:${payoutId}`,
        details: { releasedEntries },
      });
    }
  }
  return moved;
}

async function loadPayout(models: Models, payoutId: string) {
  const payout = await models.Payout.findById(payoutId).lean();
  if (!payout) throw new DomainError('not-found', `No payout ${payoutId}.`, 'payout-not-found');
  return payout;
}
type StoredPayout = Awaited<ReturnType<typeof loadPayout>>;

/** The batch; a status its deciding claim is ahead of (a process stopped in between) is brought up to date. */
export async function findPayout(deps: ServiceDeps, payoutId: string): Promise<StoredPayout> {
  const { models } = deps;
  const payout = await loadPayout(models, payoutId);
  if (payout.status === 'completed' || payout.status === 'abandoned') return payout;
  const completed = await findClaim<Completed>(models, completedKey(payoutId));
  if (completed) {
    await applyCompletion(deps, payout, new Set(completed.data?.failed ?? []), completed.at);
    return loadPayout(models, payoutId);
  }
  if (
    payout.status === 'claiming' &&
    (await findClaim<Sealed>(models, sealedKey(payoutId)))?.data?.outcome === 'open'
  ) {
    await openSealed(models, payout);
    return { ...payout, status: 'open' };
  }
  return payout;
}

/** What PayPal's files are made of. */
export const batchOf = (payout: StoredPayout): Batch => ({
  payoutId: payout._id,
  currency: payout.currency,
  asOf: payout.asOf,
  items: payout.items,
});

/** The one shape of a batch, for the API and the CLI. */
export function payoutView(payout: StoredPayout) {
  return {
    payoutId: payout._id,
    asOf: payout.asOf,
    currency: payout.currency,
    status: payout.status,
    total: sumAmounts(payout.items),
    items: payout.items.map(({ partnerId, amount, payoutEmail, status, entries, entryIds }) => ({
      partnerId,
      amount,
      payoutEmail,
      status,
      entries: entries ?? entryIds?.length ?? 0,
    })),
    withheld: payout.withheld,
    createdBy: payout.createdBy,
    createdAt: payout.createdAt,
    completedAt: payout.completedAt ?? null,
  };
}
export type PayoutView = ReturnType<typeof payoutView>;

/**
 * The effects of a decided completion, safe to repeat: the failed items' entries given back (a
 * disabled partner's are reversed at once), a mail per paid item (keyed by batch and partner, so a
 * repeat queues none), then the item statuses. The status comes last, so a batch that says
 * `completed` has given everything back, and one that a kill stopped halfway still says `open` and
 * is finished by the next read of it or the next run (settleBatches).
 */
async function applyCompletion(deps: ServiceDeps, payout: StoredPayout, failed: ReadonlySet<string>, at: Date) {
  const { models } = deps;
  const items = payout.items.map((item) => ({
    ...item,
    status: failed.has(item.partnerId) ? ('failed' as const) : ('paid' as const),
  }));
  for (const item of items.filter((candidate) => candidate.status === 'failed')) {
    await releasePartner(models, payout._id, item.partnerId, await itemEntryIds(models, payout._id, item));
    const partner = await models.Partner.findById(item.partnerId, { status: 1 }).lean();
    if (partner?.status === 'disabled') await reverseUnpaidCommissions(models, item.partnerId);
    await seam('payout.complete:item-released');
  }
  for (const item of items.filter((candidate) => candidate.status === 'paid'))
    await notifyPartner(deps, item.partnerId, 'payoutSent', {
      key: `${payout._id}:${item.partnerId}`,
      subject: `Your Ashop commission payout of ${formatMinor(item.amount)} ${payout.currency} was sent`,
      lines: [
        `we sent you ${formatMinor(item.amount)} ${payout.currency} via PayPal to ${item.payoutEmail} (payout ${payout._id}).`,
        'Your portal lists the commissions it paid.',
      ],
    });
  await models.Payout.updateOne({ _id: payout._id }, { $set: { status: 'completed', completedAt: at, items } });
  return items;
}

/**
 * Marks the batch paid; items reported failed give their entries back to the balance. The first
 * completion decides (its failed list is kept); the same one again answers the same (and finishes
 * one that stopped halfway), a different one is 409.
 */
export async function completePayout(
  deps: ServiceDeps,
  options: { payoutId: string; failed: string[]; actor: string; note?: string | undefined },
): Promise<PayoutView> {
  const { models } = deps;
  const payout = await loadPayout(models, options.payoutId);
  const failed = [...new Set(options.failed)].sort();
  const itemIds = new Set(payout.items.map((item) => item.partnerId));
  const unknown = failed.filter((id) => !itemIds.has(id));
  if (unknown.length) {
    throw new DomainError('invalid', `Not in this batch: ${unknown.join(', ')}.`, 'invalid-request', {
      fields: [{ field: 'failed', message: `not items of payout ${payout._id}: ${unknown.join(', ')}` }],
    });
  }
  const sealed = await findClaim<Sealed>(models, sealedKey(payout._id));
  if (sealed?.data?.outcome !== 'open') {
    throw new DomainError(
      'conflict',
      `Payout ${payout._id} is ${sealed ? 'abandoned' : 'still being created'}.`,
      'payout-not-open',
    );
  }
  const decided = await claimOnce<Completed>(models, completedKey(payout._id), `complete:${options.actor}`, { failed });
  const decidedFailed = decided.claim.data?.failed ?? [];
  if (!decided.won && decidedFailed.join('\n') !== failed.join('\n')) {
    throw new DomainError(
      'conflict',
      `Payout ${payout._id} was already completed with other failed items.`,
      'payout-completed',
    );
  }
  if (decided.won) await seam('payout.complete:decided');
  const items = await applyCompletion(deps, payout, new Set(decidedFailed), decided.claim.at);
  // Also on a repeated completion: the first one may have stopped before recording the event.
  await emitWebhookEvent(models, 'payout.completed', payout._id, {
    payoutId: payout._id,
    currency: payout.currency,
    items: items.map(({ partnerId, amount, status }) => ({ partnerId, amount, status })),
  });
  if (decided.won) {
    await audit(deps, {
      actor: options.actor,
      action: 'payout.complete',
      subject: `payout:${payout._id}`,
      ...(options.note ? { reason: options.note } : {}),
      details: { paid: items.filter((item) => item.status === 'paid').length, failed },
    });
  }
  return payoutView(await loadPayout(models, payout._id));
}
