// Appends to the commission ledger. Entries are keyed by their idempotency key, so writing one
// twice (a replay, a concurrent duplicate, a retry after a crash) leaves exactly one.
import { commissionAvailableAt } from '../domain/commission';
import type { LedgerKind } from '../models/ledger-entry';
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';
import { recordLedgerDelta } from './money-fold';
import { emitWebhookEvent } from './webhook-events';

export interface NewLedgerEntry {
  _id: string;
  partnerId: string;
  kind: LedgerKind;
  amount: number;
  currency: string;
  customerId?: string | undefined;
  eventId: string;
  reverses?: string | undefined;
  base?: number | undefined;
  ratePpm?: number | undefined;
  occurredAt: Date;
  availableAt: Date;
}

/** True when this call wrote the entry, false when it existed already. */
export async function appendLedgerEntry(models: Models, entry: NewLedgerEntry): Promise<boolean> {
  let written = true;
  // Before the entry, so the money read models learn of every entry stored (services/money-fold.ts).
  await recordLedgerDelta(models, entry._id);
  try {
    await models.LedgerEntry.create({ ...entry, createdAt: new Date() });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    written = false;
  }
  // Also when it existed: the process that wrote it may have stopped before recording the event.
  await emitWebhookEvent(
    models,
    entry.kind === 'commission' ? 'commission.created' : 'commission.reversed',
    entry._id,
    {
      ...entry,
    },
  );
  return written;
}

export const commissionEntryId = (invoiceEventId: string) => `commission:${invoiceEventId}`;
export const reversalEntryId = (refundEventId: string) => `reversal:${refundEventId}`;
export const clawbackEntryId = (refundEventId: string) => `clawback:${refundEventId}`;

/** The commission entry of an invoice event, rebuilt identically from the stored event on every replay. */
export function commissionEntry(
  invoice: {
    _id: string;
    partnerId: string;
    customerId: string;
    currency: string;
    occurredAt: Date;
    commission: number;
    commissionable?: number | undefined;
    ratePpm?: number | null | undefined;
  },
  holdDays: number,
): NewLedgerEntry {
  return {
    _id: commissionEntryId(invoice._id),
    partnerId: invoice.partnerId,
    kind: 'commission',
    amount: invoice.commission,
    currency: invoice.currency,
    customerId: invoice.customerId,
    eventId: invoice._id,
    ...(invoice.commissionable === undefined ? {} : { base: invoice.commissionable }),
    ...(invoice.ratePpm === undefined || invoice.ratePpm === null ? {} : { ratePpm: invoice.ratePpm }),
    occurredAt: invoice.occurredAt,
    availableAt: commissionAvailableAt(invoice.occurredAt, holdDays),
  };
}
