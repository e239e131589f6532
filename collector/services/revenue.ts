// Invoices (POST /v1/revenue): commission for bound customers, idempotent on eventId.
// The event insert decides the winner (unique _id); the ledger entry follows under its own key.
// A replay completes a ledger entry a crashed process did not write, and answers the stored result.
import type { Context } from '../context';
import { commissionFor, effectiveRate, invoiceSums, type InvoiceLine } from '../domain/commission';
import { DomainError } from '../domain/errors';
import { isDuplicateKey } from './duplicates';
import { fingerprint } from './fingerprint';
import { reverseForDisable } from './commission-fate';
import { appendLedgerEntry, commissionEntry } from './ledger-writer';
import { seam } from './seams';

export interface RevenueInput {
  eventId: string;
  customerId: string;
  occurredAt?: Date | undefined;
  currency: string;
  lines: InvoiceLine[];
}

export interface RevenueResult {
  eventId: string;
  commission: number;
}

export interface Recorded<T> {
  /** true: this call recorded the event (201); false: a replay of the same event (200). */
  created: boolean;
  result: T;
}

export async function recordRevenue(
  context: Context,
  input: RevenueInput,
  now = new Date(),
): Promise<Recorded<RevenueResult>> {
  const { models, config } = context;
  const print = fingerprint({ type: 'invoice', ...input });
  const earlier = await models.RevenueEvent.findById(input.eventId).lean();
  if (earlier) return replay(context, earlier, print);

  const customer = await models.Customer.findById(input.customerId).lean();
  const partner = customer
    ? await models.Partner.findById(customer.partnerId, { status: 1, commissionRate: 1 }).lean()
    : null;
  // Disabled partners earn nothing new; frozen ones accrue (their payouts are withheld).
  const earning = partner && partner.status !== 'disabled' ? partner : null;
  await seam('revenue:priced');
  const event = invoiceEvent(config, input, earning, print, now);
  if (earning && customer) await context.tracking.stats.record('invoice', input.eventId);
  try {
    await models.RevenueEvent.create(event);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await models.RevenueEvent.findById(input.eventId).lean();
    if (!winner) throw error;
    return replay(context, winner, print);
  }
  await completeInvoiceLedger(context, event);
  return { created: true, result: event.result };
}

/** The invoice fact as stored: its commission priced for the earning partner (none: 0). */
export function invoiceEvent(
  config: Pick<Context['config'], 'commissionableKinds' | 'commissionRate'>,
  input: RevenueInput,
  earning: { _id: string; commissionRate?: number | null | undefined } | null,
  print: string,
  now: Date,
) {
  const sums = invoiceSums(input.lines, config.commissionableKinds);
  const rate = earning ? effectiveRate(earning.commissionRate, config.commissionRate) : undefined;
  const commission = rate === undefined ? 0 : commissionFor(sums.commissionable, rate);
  const result: RevenueResult = { eventId: input.eventId, commission };
  return {
    _id: input.eventId,
    kind: 'invoice' as const,
    fingerprint: print,
    customerId: input.customerId,
    partnerId: earning?._id,
    currency: input.currency,
    lines: input.lines,
    total: sums.total,
    commissionable: sums.commissionable,
    ...(rate === undefined ? {} : { ratePpm: rate }),
    result,
    occurredAt: input.occurredAt ?? now,
    receivedAt: now,
  };
}

interface StoredInvoice {
  _id: string;
  kind: string;
  fingerprint: string;
  customerId?: string | null | undefined;
  partnerId?: string | null | undefined;
  currency: string;
  occurredAt: Date;
  commissionable?: number | undefined;
  ratePpm?: number | null | undefined;
  result: unknown;
}

async function replay(context: Context, stored: StoredInvoice, print: string): Promise<Recorded<RevenueResult>> {
  if (stored.kind !== 'invoice' || stored.fingerprint !== print) {
    throw new DomainError('conflict', `Event ${stored._id} was recorded before with other content.`, 'event-conflict');
  }
  await completeInvoiceLedger(context, stored);
  return { created: false, result: stored.result as RevenueResult };
}

/**
 * Writes the invoice's commission entry if it has one (a no-op when it exists), then looks at the
 * partner again: one disabled since the invoice was priced may have swept before the entry existed,
 * so the invoice reverses its own fresh commission (the disable's sweep and this are one fate).
 */
export async function completeInvoiceLedger(context: Context, invoice: StoredInvoice): Promise<void> {
  const { commission } = invoice.result as RevenueResult;
  if (commission <= 0 || !invoice.partnerId || !invoice.customerId) return;
  const entry = commissionEntry(
    { ...invoice, partnerId: invoice.partnerId, customerId: invoice.customerId, commission },
    context.config.holdDays,
  );
  await appendLedgerEntry(context.models, entry);
  const partner = await context.models.Partner.findById(invoice.partnerId, { status: 1 }).lean();
  if (partner?.status === 'disabled') await reverseForDisable(context.models, entry);
}
