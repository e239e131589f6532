// How ledger entries turn into the statuses partners see (docs/CONTRACTS.md §5). Pure functions.
//
// - A commission is `pending` until availableAt, then `payable`, and `paid` once a payout batch
//   claimed it (a failed payout item deletes its claims, so the entry is payable again).
// - Reversals (refund before payout, or a disabled partner) are folded into the commission they
//   reverse: same availableAt, claimed together. A fully reversed commission shows `reversed`.
// - Clawbacks (refund after payout) are negative entries of their own, available at once, and
//   absorbed by the next payout that claims them.
// - Adjustments (an operator's bonus or correction) are entries of their own, positive or
//   negative, available at once or at the date the operator chose, claimed by the next payout
//   like any other entry.
// - Balance = sum of available, unclaimed entries.

export interface LedgerLine {
  _id: string;
  kind: 'commission' | 'reversal' | 'clawback' | 'adjustment';
  amount: number;
  reverses?: string | null;
  availableAt: Date;
}

export type EntryStatus = 'pending' | 'payable' | 'paid' | 'reversed';

export interface LedgerTotals {
  pending: number;
  payable: number;
  paid: number;
  reversed: number;
  balance: number;
}

export function entryStatus(entry: LedgerLine, claimed: boolean, asOf: Date): Exclude<EntryStatus, 'reversed'> {
  if (claimed) return 'paid';
  return entry.availableAt.getTime() <= asOf.getTime() ? 'payable' : 'pending';
}

/** Net amount of each commission after its reversals. */
export function netCommissions(entries: readonly LedgerLine[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const entry of entries) if (entry.kind === 'commission') net.set(entry._id, entry.amount);
  for (const entry of entries) {
    if (entry.kind === 'reversal' && entry.reverses !== undefined && entry.reverses !== null) {
      net.set(entry.reverses, (net.get(entry.reverses) ?? 0) + entry.amount);
    }
  }
  return net;
}

/** Status of a commission as shown in lists: `reversed` once nothing of it is left. */
export function commissionStatus(entry: LedgerLine, net: number, claimed: boolean, asOf: Date): EntryStatus {
  if (net <= 0) return 'reversed';
  return entryStatus(entry, claimed, asOf);
}

export function summarizeLedger(
  entries: readonly LedgerLine[],
  claimedIds: ReadonlySet<string>,
  asOf: Date,
): LedgerTotals {
  const totals: LedgerTotals = { pending: 0, payable: 0, paid: 0, reversed: 0, balance: 0 };
  for (const entry of entries) {
    const status = entryStatus(entry, claimedIds.has(entry._id), asOf);
    if (entry.kind === 'reversal') totals.reversed -= entry.amount;
    totals[status] += entry.amount;
  }
  totals.balance = totals.payable;
  return totals;
}

/** The entries a payout run at `asOf` may claim for one partner: available and not yet claimed. */
export function claimableEntries<T extends LedgerLine>(
  entries: readonly T[],
  claimedIds: ReadonlySet<string>,
  asOf: Date,
): T[] {
  return entries.filter((entry) => entryStatus(entry, claimedIds.has(entry._id), asOf) === 'payable');
}
