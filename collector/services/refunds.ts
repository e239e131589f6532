// Refunds and chargebacks (POST /v1/refunds). Each refund of an invoice takes the next refund slot
// (unique key), which fixes how much of the invoice it refunds; the commission is taken back
// pro rata: a reversal entry while the commission is unpaid, a clawback once a payout holds it,
// nothing once a disable reversed what was left (see commission-fate.ts).
import type { Context } from '../context';
import { refundOutcome } from '../domain/refund';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';
import { heldByPayout, takeSlot, type SlotTaken } from './commission-fate';
import { fingerprint } from './fingerprint';
import {
  appendLedgerEntry,
  clawbackEntryId,
  commissionEntryId,
  reversalEntryId,
  type NewLedgerEntry,
} from './ledger-writer';
import { completeInvoiceLedger, type Recorded, type RevenueResult } from './revenue';
import { seam } from './seams';

export interface RefundInput {
  eventId: string;
  refundOf: string;
  amount?: number | undefined;
  kind: 'refund' | 'chargeback';
}

export interface RefundResult {
  eventId: string;
  refundOf: string;
  /** Refunded by this event, after capping at what was left of the invoice. */
  amount: number;
  commissionReversed: number;
  /** The ledger entry written, if any commission was taken back. */
  entry: { id: string; kind: 'reversal' | 'clawback'; amount: number } | null;
}

export async function recordRefund(
  context: Context,
  input: RefundInput,
  now = new Date(),
): Promise<Recorded<RefundResult>> {
  const { models } = context;
  const print = fingerprint({ type: 'refund', ...input });
  const earlier = await models.RevenueEvent.findById(input.eventId).lean();
  if (earlier) return replay(context, earlier, print);

  const invoice = await models.RevenueEvent.findById(input.refundOf).lean();
  if (!invoice || invoice.kind !== 'invoice') {
    throw new DomainError('unprocessable', `No invoice event ${input.refundOf} was recorded.`, 'unknown-invoice', {
      fields: [{ field: 'refundOf', message: 'must be the eventId of a recorded invoice' }],
    });
  }
  const slot = await takeSlot(
    models,
    invoice._id,
    invoice.total,
    { eventId: input.eventId, fingerprint: print, requested: input.amount, kind: 'refund' },
    now,
  );
  await seam('refund:slot-taken');
  const commission = (invoice.result as RevenueResult).commission;
  // The invoice's own entry first: its process may have stopped before writing it.
  await completeInvoiceLedger(context, invoice);
  const { commissionReversed: proRata } = refundOutcome({
    invoiceTotal: invoice.total,
    commission,
    refundedBefore: slot.refundedBefore,
    requested: slot.amount,
  });
  const entry =
    proRata > 0 && invoice.partnerId
      ? await plannedEntry(models, input.eventId, commissionEntryId(invoice._id), proRata, slot)
      : null;
  const result: RefundResult = {
    eventId: input.eventId,
    refundOf: invoice._id,
    amount: slot.amount,
    commissionReversed: entry ? -entry.amount : 0,
    entry,
  };
  if (invoice.partnerId) await context.tracking.stats.record('refund', input.eventId);
  try {
    await models.RevenueEvent.create({
      _id: input.eventId,
      kind: input.kind,
      fingerprint: print,
      customerId: invoice.customerId,
      partnerId: invoice.partnerId,
      currency: invoice.currency,
      lines: [],
      total: slot.amount,
      commissionable: 0,
      refundOf: invoice._id,
      result,
      occurredAt: now,
      receivedAt: now,
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await models.RevenueEvent.findById(input.eventId).lean();
    if (!winner) throw error;
    return replay(context, winner, print);
  }
  await completeLedger(context, { _id: input.eventId, refundOf: invoice._id, occurredAt: now, result });
  return { created: true, result };
}

/**
 * Reversal while the commission is unpaid, clawback once a payout holds it, nothing when a disable
 * took an earlier slot (it took back everything that was left). Pro rata on cumulative refunds, so
 * the slot order alone fixes the amount.
 */
async function plannedEntry(
  models: Models,
  refundEventId: string,
  commissionId: string,
  proRata: number,
  slot: SlotTaken,
): Promise<RefundResult['entry']> {
  if (await heldByPayout(models, commissionId)) {
    return { id: clawbackEntryId(refundEventId), kind: 'clawback', amount: -proRata };
  }
  if (slot.afterDisable) return null;
  return { id: reversalEntryId(refundEventId), kind: 'reversal', amount: -proRata };
}

/** Writes the refund's ledger entry, if it has one (a no-op when it exists). */
async function completeLedger(
  context: Context,
  refund: { _id: string; refundOf: string; occurredAt: Date; result: RefundResult },
): Promise<void> {
  const planned = refund.result.entry;
  if (!planned) return;
  const commissionId = commissionEntryId(refund.refundOf);
  const commission = await context.models.LedgerEntry.findById(commissionId).lean();
  if (!commission) throw new Error(`commission entry ${commissionId} is missing`);
  const entry: NewLedgerEntry = {
    _id: planned.id,
    partnerId: commission.partnerId,
    kind: planned.kind,
    amount: planned.amount,
    currency: commission.currency,
    customerId: commission.customerId ?? undefined,
    eventId: refund._id,
    reverses: commissionId,
    occurredAt: refund.occurredAt,
    // A reversal is folded into its commission (same availableAt); a clawback is due at once.
    availableAt: planned.kind === 'reversal' ? commission.availableAt : refund.occurredAt,
  };
  await appendLedgerEntry(context.models, entry);
}

async function replay(
  context: Context,
  stored: {
    _id: string;
    kind: string;
    fingerprint: string;
    refundOf?: string | null;
    occurredAt: Date;
    result: unknown;
  },
  print: string,
): Promise<Recorded<RefundResult>> {
  if ((stored.kind !== 'refund' && stored.kind !== 'chargeback') || stored.fingerprint !== print || !stored.refundOf) {
    throw new DomainError('conflict', `Event ${stored._id} was recorded before with other content.`, 'event-conflict');
  }
  const result = stored.result as RefundResult;
  await completeLedger(context, { _id: stored._id, refundOf: stored.refundOf, occurredAt: stored.occurredAt, result });
  return { created: false, result };
}
