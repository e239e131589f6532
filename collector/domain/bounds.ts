// Bounds that keep money exact and dates meaningful. Amounts are integer minor units held in
// JavaScript numbers, exact up to 2^53 (about 9·10^15): capping a line and an invoice at 10^10
// (100,000,000.00 in a two-decimal currency) leaves room for 900,000 maximal invoices in one
// balance before a sum could lose precision.
import { DAY_MS } from './days';

export const MAX_AMOUNT = 10_000_000_000;

/** Nothing in this program happened before this instant (imports of older data are mistakes). */
export const EARLIEST_INSTANT = new Date('2000-01-01T00:00:00Z');
/** How far ahead of our clock a caller's clock may be. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Why `occurredAt` is refused, or undefined when it is inside [2000-01-01, now + skew]. */
export function occurredAtProblem(occurredAt: Date, now: Date): string | undefined {
  if (occurredAt.getTime() < EARLIEST_INSTANT.getTime()) return `must not be before ${EARLIEST_INSTANT.toISOString()}`;
  if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    return `must not be in the future (more than ${CLOCK_SKEW_MS / 60_000} minutes ahead)`;
  return undefined;
}

/** Report days: from 2000-01-01 to one year after today (a range ending later is a typo). */
export function reportDayProblem(day: string, now: Date): string | undefined {
  const at = Date.parse(`${day}T00:00:00Z`);
  if (at < EARLIEST_INSTANT.getTime()) return 'must not be before 2000-01-01';
  if (at > now.getTime() + 366 * DAY_MS) return 'must not be more than a year ahead';
  return undefined;
}

/**
 * An instant as operators write it: a date (00:00 UTC) or an ISO-8601 time with an offset.
 * Undefined for anything else.
 */
export function parseInstant(text: string): Date | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text))
    return undefined;
  const date = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) return undefined;
  if (dateOnly && date.toISOString().slice(0, 10) !== text) return undefined;
  return date;
}
