// Each unpaid commission has exactly one fate: paid by one payout batch, or reversed because its
// partner was disabled. The fate is decided by one insert under `fate:<commissionId>` (claim-once):
// a payout run must win it before it locks the commission, a disable must win it before it reverses
// what is left. Refunds do not take the fate: they take the next refund slot of the invoice, and the
// slot order alone fixes how much each refund and a disable take back, so the total taken back is
// never more than the commission, whatever the interleaving.
import { proRata, refundOutcome, reversibleLeft } from '../domain/refund';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { RefundSlotDoc } from '../models/refund-slot';
import { claimOnce, findClaim } from './claim-once';
import { isDuplicateKey } from './duplicates';
import { appendLedgerEntry } from './ledger-writer';

export const fateKey = (commissionId: string) => `fate:${commissionId}`;
export const disableHolder = 'disable';
export const payoutHolder = (payoutId: string) => `payout:${payoutId}`;
export const disableReversalId = (commissionId: string) => `disable-reversal:${commissionId}`;
/** A space cannot occur in a merchant's event ID, so this never collides with a refund event. */
const disableSlotEvent = (commissionId: string) => `disable ${commissionId}`;

export type SlotTaken = Pick<RefundSlotDoc, 'amount' | 'refundedBefore' | 'afterDisable'>;

/**
 * Takes slot n+1 of the invoice (n = slots taken so far), capped at what the earlier slots left.
 * The slots are read by key (`<invoice>#1`, `#2`, … until one is missing), never by a filter, so the
 * cost is the invoice's own refunds whatever the history. A lost race for the slot re-reads and
 * tries the next one; a slot this event already holds (a concurrent duplicate, a retry after a
 * crash) is reused.
 */
export async function takeSlot(
  models: Models,
  invoiceId: string,
  invoiceTotal: number,
  event: { eventId: string; fingerprint: string; requested?: number | undefined; kind: 'refund' | 'disable' },
  now: Date,
): Promise<SlotTaken> {
  const conflict = () =>
    new DomainError('conflict', `Event ${event.eventId} was recorded before with other content.`, 'event-conflict');
  for (let attempt = 0; attempt < 50; attempt++) {
    const slots = await slotsOf(models, invoiceId);
    const mine = slots.find((slot) => slot.refundEventId === event.eventId);
    if (mine) {
      if (mine.fingerprint !== event.fingerprint) throw conflict();
      return mine;
    }
    const refundedBefore = slots.reduce((sum, slot) => sum + slot.amount, 0);
    const seq = slots.length + 1;
    const afterDisable = slots.some((slot) => slot.kind === 'disable');
    // A disable refunds nothing of the invoice; it only takes its place in the order.
    const amount =
      event.kind === 'disable'
        ? 0
        : refundOutcome({ invoiceTotal, commission: 0, refundedBefore, requested: event.requested }).amount;
    try {
      await models.RefundSlot.create({
        _id: slotId(invoiceId, seq),
        invoiceEventId: invoiceId,
        seq,
        refundEventId: event.eventId,
        fingerprint: event.fingerprint,
        amount,
        refundedBefore,
        kind: event.kind,
        afterDisable,
        createdAt: now,
      });
      return { amount, refundedBefore, afterDisable };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Refused although the slot is free: the event (unique) holds a slot of another invoice.
      if (!(await models.RefundSlot.exists({ _id: slotId(invoiceId, seq) }))) throw conflict();
    }
  }
  throw new DomainError('unavailable', 'Too many concurrent refunds of this invoice; retry.', 'busy');
}

const slotId = (invoiceId: string, seq: number) => `${invoiceId}#${seq}`;

/** The invoice's slots in order, by key: slots are taken 1, 2, 3, … and never deleted. */
async function slotsOf(models: Models, invoiceId: string) {
  const slots = [];
  for (let seq = 1; ; seq++) {
    const slot = await models.RefundSlot.findById(slotId(invoiceId, seq)).lean();
    if (!slot) return slots;
    slots.push(slot);
  }
}

/** Whether a payout batch holds the commission (paid, or in an open batch). */
export async function heldByPayout(models: Models, commissionId: string): Promise<boolean> {
  // Batches written before fates existed only have the payout claim.
  if (await models.PayoutClaim.exists({ _id: commissionId })) return true;
  return (await findClaim(models, fateKey(commissionId)))?.holder.startsWith('payout:') ?? false;
}

interface CommissionEntry {
  _id: string;
  partnerId: string;
  amount: number;
  currency: string;
  customerId?: string | null | undefined;
  eventId: string;
  availableAt: Date;
}

/**
 * A disabled partner's commission: unless a payout holds it, takes its fate and reverses what the
 * refunds before the disable left of it. Returns the (negative) amount written, 0 when it existed
 * already or nothing was left, undefined when a payout holds the commission.
 */
export async function reverseForDisable(models: Models, commission: CommissionEntry): Promise<number | undefined> {
  if (await models.PayoutClaim.exists({ _id: commission._id })) return undefined;
  const fate = await claimOnce(models, fateKey(commission._id), disableHolder);
  if (!fate.won && fate.claim.holder !== disableHolder) return undefined;
  const now = new Date();
  const invoice = await models.RevenueEvent.findById(commission.eventId, { total: 1 }).lean();
  const total = invoice?.total ?? 0;
  const slot = await takeSlot(
    models,
    commission.eventId,
    total,
    { eventId: disableSlotEvent(commission._id), fingerprint: 'disable', kind: 'disable' },
    now,
  );
  const refunded = total > 0 ? proRata(commission.amount, slot.refundedBefore, total) : 0;
  const reversals = await models.LedgerEntry.find(
    { reverses: commission._id, kind: 'reversal', _id: { $ne: disableReversalId(commission._id) } },
    { amount: 1 },
  ).lean();
  // The slot order decides; the entries already written only ever lower it (never below zero).
  const amount = Math.min(
    commission.amount - refunded,
    reversibleLeft(
      commission.amount,
      reversals.map((entry) => entry.amount),
    ),
  );
  if (amount <= 0) return 0;
  const written = await appendLedgerEntry(models, {
    _id: disableReversalId(commission._id),
    partnerId: commission.partnerId,
    kind: 'reversal',
    amount: -amount,
    currency: commission.currency,
    customerId: commission.customerId ?? undefined,
    eventId: commission.eventId,
    reverses: commission._id,
    occurredAt: now,
    // Folded into the commission it cancels: same availableAt (see domain/ledger.ts).
    availableAt: commission.availableAt,
  });
  return written ? -amount : 0;
}

/**
 * Reverses what is left of every commission of the partner that no payout holds. Keyed by the
 * commission, so running it again (a second disable, a failed payout item of a disabled partner, an
 * invoice that raced the disable) adds nothing twice. Streams the partner's ledger.
 */
export async function reverseUnpaidCommissions(models: Models, partnerId: string) {
  let count = 0;
  let amount = 0;
  for await (const entry of models.LedgerEntry.find({ partnerId, kind: 'commission' }).lean().cursor()) {
    const written = await reverseForDisable(models, entry);
    if (written) {
      count += 1;
      amount += written;
    }
  }
  return { count, amount };
}
