// Commission on one revenue event (docs/CONTRACTS.md §5): round half up(rate × commissionable sum),
// available for payout after the hold period.
import { addDays } from './days';
import { applyRate, type Rate } from './money';

export interface InvoiceLine {
  kind: string;
  amount: number;
}

export interface InvoiceSums {
  total: number;
  commissionable: number;
}

export function invoiceSums(lines: readonly InvoiceLine[], commissionableKinds: readonly string[]): InvoiceSums {
  let total = 0;
  let commissionable = 0;
  for (const line of lines) {
    total += line.amount;
    if (commissionableKinds.includes(line.kind)) commissionable += line.amount;
  }
  return { total, commissionable };
}

/** The partner's override when set, else the program's rate. */
export function effectiveRate(partnerRate: number | null | undefined, programRate: Rate): Rate {
  return partnerRate === null || partnerRate === undefined ? programRate : partnerRate;
}

export function commissionFor(commissionable: number, rate: Rate): number {
  return applyRate(commissionable, rate);
}

export function commissionAvailableAt(occurredAt: Date, holdDays: number): Date {
  return addDays(occurredAt, holdDays);
}
