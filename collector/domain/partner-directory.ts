// The partner directory: every partner, newest first, as the keyed log `directory`
// (domain/keyed-log.ts). The operator's list, the report's pages and the CLI read it a page at a
// time by key, then each partner by `_id`, instead of filtering the partners collection.
//
// One stream for the whole program: it is the program-wide list, written once per partner (a
// sign-up rate, far below what one stream of unique inserts takes), and has no partner to be
// prefixed by. With sharding it would live on one shard, like the program's other summaries.
import type { PartnerStatus } from '../models/partner';

export const directoryStream = 'directory';

/** What a partner's entry holds: only what never changes. */
export const directoryEntry = (partnerId: string, createdAt: Date) => ({ partnerId, createdAt });

/**
 * Whether entry `n` shows `partner`. The entry is written before its partner, so an entry whose
 * partner was never stored (a crash between the two writes, a sign-up that lost its email to a
 * concurrent one) names nobody and is skipped. A partner remembers the number it was listed under;
 * any other entry naming it (a migration done twice) is skipped too, so nobody shows twice.
 */
export function shownAt(n: number, partner: { directoryNo?: number | null } | null | undefined): boolean {
  if (!partner) return false;
  return partner.directoryNo === undefined || partner.directoryNo === null || partner.directoryNo === n;
}

export interface PartnerFilter {
  /** Part of the email or the name, any case (an exact partner ID is looked up by key first). */
  q?: string | undefined;
  status?: PartnerStatus | undefined;
}

export const isFiltered = (filter: PartnerFilter): boolean => Boolean(filter.q) || filter.status !== undefined;

export function matchesFilter(partner: { email: string; name: string; status: string }, filter: PartnerFilter) {
  if (filter.status !== undefined && partner.status !== filter.status) return false;
  if (!filter.q) return true;
  const q = filter.q.toLowerCase();
  return partner.email.toLowerCase().includes(q) || partner.name.toLowerCase().includes(q);
}

/**
 * How many directory entries one request reads at most. A filtered list may have few matches among
 * many partners: it answers what it found in this many entries, with a cursor to read on (a short
 * or even empty page with a `nextCursor` means "not the end yet"). Unfiltered, a page needs `limit`
 * entries; the margin covers the rare entries that name nobody.
 */
export const walkBudget = (limit: number, filtered: boolean): number =>
  filtered ? Math.max(500, 2 * limit) : 2 * limit;

/** Entries read per round trip: a page's worth, or more when most are filtered out. */
export const walkChunk = (limit: number, filtered: boolean): number => (filtered ? Math.max(limit, 100) : limit);
