// Refunds and chargebacks (POST /v1/refunds). Each refund of an invoice takes the next refund slot
// (unique key), which fixes how much of the invoice it refunds; the commission is taken back
// pro rata: a reversal entry while the commission is unpaid, a clawback once a payout claimed it.
import type { Context } from '../context';
import { statsChannel } from '../domain/coupon';
import { utcDay } from '../domain/days';
import { refundOutcome, reversibleLeft } from '../domain/refund';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { RefundSlotDoc } from '../models/refund-slot';
import { isDuplicateKey } from './duplicates';
import { fingerprint } from './fingerprint';
import {
  appendLedgerEntry,
  clawbackEntryId,
  commissionEntryId,
  reversalEntryId,
  type NewLedgerEntry,
} from './ledger-writer';
import { completeInvoiceLedger, type Recorded, type RevenueResult } from './revenue';

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
  const slot = await takeRefundSlot(models, invoice._id, invoice.total, input, print, now);
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
      ? await plannedEntry(models, input.eventId, commissionEntryId(invoice._id), proRata)
      : null;
  const result: RefundResult = {
    eventId: input.eventId,
    refundOf: invoice._id,
    amount: slot.amount,
    commissionReversed: entry ? -entry.amount : 0,
    entry,
  };
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
  if (invoice.partnerId && invoice.customerId) {
    const customer = await models.Customer.findById(invoice.customerId, { bid: 1, couponCode: 1 }).lean();
    context.tracking.stats.add(invoice.partnerId, utcDay(now), customer ? statsChannel(customer) : undefined, {
      revenue: -slot.amount,
      commission: -result.commissionReversed,
    });
  }
  return { created: true, result };
}

/**
 * Claims refund slot n+1 of the invoice (n = slots taken so far), capped at what the earlier
 * slots left. A lost race for the slot re-reads and tries the next one; a slot this event already
 * holds (a concurrent duplicate, a retry after a crash) is reused.
 */
async function takeRefundSlot(
  models: Models,
  invoiceId: string,
  invoiceTotal: number,
  input: RefundInput,
  print: string,
  now: Date,
): Promise<Pick<RefundSlotDoc, 'amount' | 'refundedBefore'>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mine = await models.RefundSlot.findOne({ refundEventId: input.eventId }).lean();
    if (mine) {
      if (mine.fingerprint !== print) {
        throw new DomainError(
          'conflict',
          `Event ${input.eventId} was recorded before with other content.`,
          'event-conflict',
        );
      }
      return mine;
    }
    const slots = await models.RefundSlot.find({ invoiceEventId: invoiceId }, { seq: 1, amount: 1 }).lean();
    const refundedBefore = slots.reduce((sum, slot) => sum + slot.amount, 0);
    const seq = slots.reduce((max, slot) => Math.max(max, slot.seq), 0) + 1;
    const { amount } = refundOutcome({ invoiceTotal, commission: 0, refundedBefore, requested: input.amount });
    try {
      await models.RefundSlot.create({
        _id: `${invoiceId}#${seq}`,
        invoiceEventId: invoiceId,
        seq,
        refundEventId: input.eventId,
        fingerprint: print,
        amount,
        refundedBefore,
        createdAt: now,
      });
      return { amount, refundedBefore };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new DomainError('unavailable', 'Too many concurrent refunds of this invoice; retry.', 'busy');
}

/**
 * Reversal while the commission is unpaid (never more than what is left of it, e.g. after a
 * disabled partner's reversal); clawback once a payout claimed it.
 */
async function plannedEntry(
  models: Models,
  refundEventId: string,
  commissionId: string,
  proRata: number,
): Promise<RefundResult['entry']> {
  if (await models.PayoutClaim.exists({ _id: commissionId })) {
    return { id: clawbackEntryId(refundEventId), kind: 'clawback', amount: -proRata };
  }
  const [commission, reversals] = await Promise.all([
    models.LedgerEntry.findById(commissionId, { amount: 1 }).lean(),
    models.LedgerEntry.find({ reverses: commissionId, kind: 'reversal' }, { amount: 1 }).lean(),
  ]);
  if (!commission) throw new Error(`commission entry ${commissionId} is missing`);
  const amount = Math.min(
    proRata,
    reversibleLeft(
      commission.amount,
      reversals.map((entry) => entry.amount),
    ),
  );
  return amount > 0 ? { id: reversalEntryId(refundEventId), kind: 'reversal', amount: -amount } : null;
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
