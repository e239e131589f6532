// Keyed logs: an append-only list read by exact `_id` only (docs/ARCHITECTURE.md §5), for lists
// that grow with a program's history but are read a page at a time (a partner's payouts, the
// partner directory, a subject's audit trail, a partner's notes). Entry n of a stream is
// `<stream>|<n>`, n = 1, 2, 3, … with no gaps: an entry is only ever inserted as the next free
// number (the insert under a unique `_id` decides between two writers), never deleted. So the
// entries that exist are exactly 1..length, which a doubling then halving search finds in about
// 2·log2(length) lookups by key, and a page newest first is the numbers below a cursor.

/** Streams are named by what a shard key would be first (a partner ID), then the list. */
export const logEntryId = (stream: string, n: number): string => `${stream}|${n}`;

/** The entry number an `_id` of `stream` names, or undefined when it is not one of its entries. */
export function logEntryNumber(stream: string, id: string): number | undefined {
  const prefix = `${stream}|`;
  if (!id.startsWith(prefix)) return undefined;
  const text = id.slice(prefix.length);
  if (!/^[1-9]\d{0,14}$/.test(text)) return undefined;
  return Number(text);
}

/**
 * The entry numbers of one page, newest first: the `limit` numbers below `before` (exclusive;
 * none: from the newest, `length`).
 */
export function pageNumbers(length: number, limit: number, before?: number): number[] {
  const top = Math.min(length, before === undefined ? length : before - 1);
  const numbers: number[] = [];
  for (let n = top; n >= 1 && numbers.length < limit; n--) numbers.push(n);
  return numbers;
}

/**
 * The next probe of the length search, given that `known` entries exist and `missing` (if found
 * yet) does not: double until an entry is missing, then halve the gap. Done when it returns undefined.
 */
export function nextProbe(known: number, missing: number | undefined): number | undefined {
  if (missing === undefined) return known === 0 ? 1 : known * 2;
  return missing - known > 1 ? Math.floor((known + missing) / 2) : undefined;
}
