// Refunds and chargebacks (docs/CONTRACTS.md §5): capped at what is left of the invoice, and reversing
// the commission pro rata. Computed on cumulative amounts, so partial refunds never reverse more
// than the commission in total and a full refund reverses exactly all of it, whatever the rounding.

export interface RefundInput {
  /** Invoice total and the commission it earned, minor units. */
  invoiceTotal: number;
  commission: number;
  /** Sum of the refunds of this invoice recorded before this one. */
  refundedBefore: number;
  /** Requested amount; undefined = everything still refundable. */
  requested: number | undefined;
}

export interface RefundOutcome {
  /** What this refund actually refunds, after the cap. */
  amount: number;
  /** Commission this refund takes back (≥ 0). */
  commissionReversed: number;
}

export function refundOutcome(input: RefundInput): RefundOutcome {
  const remaining = Math.max(0, input.invoiceTotal - input.refundedBefore);
  const amount = Math.min(input.requested ?? remaining, remaining);
  const before = proRata(input.commission, input.refundedBefore, input.invoiceTotal);
  const after = proRata(input.commission, input.refundedBefore + amount, input.invoiceTotal);
  return { amount, commissionReversed: after - before };
}

/** round half up(commission × part / whole), exact in BigInt. */
export function proRata(commission: number, part: number, whole: number): number {
  if (whole <= 0) throw new RangeError('whole must be positive');
  const numerator = BigInt(commission) * BigInt(Math.min(part, whole)) * 2n + BigInt(whole);
  return Number(numerator / (BigInt(whole) * 2n));
}

/** What may still be taken back from a commission: its amount minus earlier reversals (negative entries). */
export function reversibleLeft(commission: number, earlierReversals: readonly number[]): number {
  return Math.max(0, commission + earlierReversals.reduce((sum, amount) => sum + amount, 0));
}
