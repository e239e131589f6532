// Payout rules (docs/CONTRACTS.md §5), pure: who is paid in a run, why others are withheld, and the two
// PayPal formats of a batch. Amounts are integer minor units end to end.
import { csvRows } from './csv';
import type { LedgerLine } from './ledger';
import { formatMinor } from './money';
import type { PartnerStatus } from '../models/partner';

/** Claim keys of a batch's two decisions: sealed (open or abandoned), then completed (which items failed). */
export const sealedKey = (payoutId: string) => `payout:${payoutId}:sealed`;
export const completedKey = (payoutId: string) => `payout:${payoutId}:completed`;

/** What a partner's item of a batch came to, from the batch's decisions (pending until completed). */
export function itemOutcome(
  partnerId: string,
  completed: { failed: readonly string[]; at: Date } | undefined,
): { status: 'pending' | 'paid' | 'failed'; completedAt: Date | null } {
  if (!completed) return { status: 'pending', completedAt: null };
  return { status: completed.failed.includes(partnerId) ? 'failed' : 'paid', completedAt: completed.at };
}

export const withheldReasons = [
  'disabled',
  'frozen',
  'unconfirmed',
  'awaiting-approval',
  'no-payout-email',
  'below-minimum',
] as const;
export type WithheldReason = (typeof withheldReasons)[number];

export interface PayoutCandidate {
  status: PartnerStatus;
  payoutEmail?: string | null;
}

export type PayoutDecision =
  { pay: true; amount: number; entryIds: string[] } | { pay: false; balance: number; reason: WithheldReason };

export function sumAmounts(entries: readonly Pick<LedgerLine, 'amount'>[]): number {
  return entries.reduce((sum, entry) => sum + entry.amount, 0);
}

/** Why a partner with this balance is not paid now, or undefined when they are. */
export function withheldReason(
  partner: PayoutCandidate,
  balance: number,
  minPayout: number,
): WithheldReason | undefined {
  if (partner.status === 'disabled') return 'disabled';
  if (partner.status === 'frozen') return 'frozen';
  if (partner.status === 'pending') return 'unconfirmed';
  if (partner.status === 'pending_approval') return 'awaiting-approval';
  if (!partner.payoutEmail) return 'no-payout-email';
  if (balance < minPayout) return 'below-minimum';
  return undefined;
}

/** One partner in a run: `claimable` are their available, unclaimed entries (claimableEntries). */
export function decidePayout(
  partner: PayoutCandidate,
  claimable: readonly LedgerLine[],
  minPayout: number,
): PayoutDecision {
  const balance = sumAmounts(claimable);
  const reason = withheldReason(partner, balance, minPayout);
  if (reason) return { pay: false, balance, reason };
  return { pay: true, amount: balance, entryIds: claimable.map((entry) => entry._id) };
}

/** The entry IDs of a batch item are stored in parts of at most this many (models/payout-entries.ts). */
export const entriesPerPart = 1000;

export const payoutEntriesId = (payoutId: string, partnerId: string, part: number) =>
  `${payoutId}|${partnerId}|${part}`;

/** An item's entry IDs in stored parts, in order; none for an item paying nothing. */
export function entryParts(entryIds: readonly string[], perPart = entriesPerPart): string[][] {
  const parts: string[][] = [];
  for (let start = 0; start < entryIds.length; start += perPart) parts.push(entryIds.slice(start, start + perPart));
  return parts;
}

export interface BatchItem {
  partnerId: string;
  amount: number;
  payoutEmail: string;
}

export interface Batch {
  payoutId: string;
  currency: string;
  asOf: Date;
  items: readonly BatchItem[];
}

/** PayPal wants sender_item_id unique within a batch: the partner ID is (one item per partner). */
export const senderItemId = (item: BatchItem) => item.partnerId;

function itemNote(batch: Batch): string {
  return `Ashop Partner Program commissions available by ${batch.asOf.toISOString().slice(0, 10)} (batch ${batch.payoutId})`;
}

/** PayPal mass payment file: email, amount, currency, unique id, note; no header line. */
export function paypalMassPaymentCsv(batch: Batch): string {
  return csvRows(
    batch.items.map((item) => [
      item.payoutEmail,
      formatMinor(item.amount),
      batch.currency,
      senderItemId(item),
      itemNote(batch),
    ]),
  );
}

/** The request body of PayPal's Payouts API (POST /v1/payments/payouts). */
export function paypalPayoutsRequest(batch: Batch) {
  return {
    sender_batch_header: {
      sender_batch_id: batch.payoutId,
      email_subject: 'You have a payout from the Ashop Partner Program',
      email_message: 'Thank you for referring customers to Ashop. Your partner commissions are on the way.',
    },
    items: batch.items.map((item) => ({
      recipient_type: 'EMAIL' as const,
      amount: { value: formatMinor(item.amount), currency: batch.currency },
      receiver: item.payoutEmail,
      note: itemNote(batch),
      sender_item_id: senderItemId(item),
    })),
  };
}
