// The partner directory (domain/partner-directory.ts): the one way a partner is created, and the
// operator's reads of partners a page at a time, newest first, by key whatever the program's size.
import {
  directoryEntry,
  directoryStream,
  isFiltered,
  matchesFilter,
  shownAt,
  walkBudget,
  walkChunk,
} from '../domain/partner-directory';
import type { PartnerFilter } from '../domain/partner-directory';
import { logEntryId, logEntryNumber, pageNumbers } from '../domain/keyed-log';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { DirectoryEntryDoc } from '../models/directory-entry';
import type { PartnerDoc } from '../models/partner';
import { claimEmail, partnerEmailTaken } from './account-emails';
import { appendToLog, logLength } from './keyed-log';
import { seam } from './seams';

type Deps = Pick<Models, 'Partner' | 'DirectoryEntry'>;
type CreateDeps = Deps & Pick<Models, 'AccountEmail' | 'OnceClaim' | 'AdminUser'>;
export type ListedPartner = PartnerDoc & { _id: string };

/**
 * Creates a partner (every path: sign-up, tests, fixtures). Its login email is claimed first
 * (services/account-emails.ts: of concurrent sign-ups with one address, only the winner goes on; the
 * others get `email-taken` and write nothing). Then its directory entry is written and the partner
 * last, remembering the entry's number: a crash (or a failed insert) between the two leaves an entry
 * that names nobody, which every read skips (domain/partner-directory.ts `shownAt`), and a claim
 * that frees itself after the grace time. The other order could leave a partner no list ever shows,
 * with nothing to notice it. Errors of the partner's insert (a duplicate ID, or an email held by a
 * partner from before the keys while they are being made) are the caller's, as before.
 */
export async function createPartner(
  models: CreateDeps,
  partner: Omit<Partial<PartnerDoc>, 'directoryNo'> & {
    _id: string;
    email: string;
    name: string;
    passwordHash: string;
  },
): Promise<number> {
  if ((await claimEmail(models, 'partner', partner.email, partner._id)) === 'taken') throw partnerEmailTaken();
  await seam('account.email:claimed');
  const createdAt = new Date();
  const directoryNo = await appendToLog(
    models.DirectoryEntry.collection,
    directoryStream,
    directoryEntry(partner._id, createdAt),
  );
  await models.Partner.create({ ...partner, directoryNo, createdAt });
  return directoryNo;
}

/** Adds an existing partner to the directory (the move of partners from before it). */
export async function listPartner(models: Deps, partner: { _id: string; createdAt: Date }): Promise<number> {
  const directoryNo = await appendToLog(
    models.DirectoryEntry.collection,
    directoryStream,
    directoryEntry(partner._id, partner.createdAt),
  );
  await models.Partner.updateOne({ _id: partner._id }, { $set: { directoryNo } }, { timestamps: false });
  return directoryNo;
}

export interface DirectoryPage {
  partners: ListedPartner[];
  /** The `_id` of the last entry read when older ones exist: pass as `after` to read on. */
  nextAfter: string | null;
}

const badCursor = () =>
  new DomainError('invalid', 'The cursor does not belong to this list.', 'invalid-cursor', {
    fields: [{ field: 'cursor', message: 'is not a cursor of this list' }],
  });

/**
 * Partners newest first (by directory number) below the entry `after`, matching `filter`: up to
 * `limit` of them, reading at most `walkBudget` entries. Each entry and its partner are one read
 * by `_id`; so is the length search (about 2·log2 of the number of partners).
 */
export async function directoryPage(
  models: Deps,
  filter: PartnerFilter,
  page: { limit: number; after?: string | undefined },
): Promise<DirectoryPage> {
  const before = page.after === undefined ? undefined : logEntryNumber(directoryStream, page.after);
  if (page.after !== undefined && before === undefined) throw badCursor();
  const filtered = isFiltered(filter);
  const budget = walkBudget(page.limit, filtered);
  const length = await logLength(models.DirectoryEntry.collection, directoryStream);
  const partners: ListedPartner[] = [];
  let top = before;
  let read = 0;
  while (partners.length < page.limit && read < budget && (top === undefined || top > 1)) {
    const numbers = pageNumbers(
      length,
      Math.min(walkChunk(page.limit - partners.length, filtered), budget - read),
      top,
    );
    if (numbers.length === 0) break;
    const found = await Promise.all(numbers.map((n) => partnerAt(models, n)));
    for (const [index, partner] of found.entries()) {
      top = numbers[index]!;
      read += 1;
      if (partner && shownAt(top, partner) && matchesFilter(partner, filter)) partners.push(partner);
      if (partners.length === page.limit) break;
    }
  }
  return { partners, nextAfter: top !== undefined && top > 1 ? logEntryId(directoryStream, top) : null };
}

async function partnerAt(models: Deps, n: number): Promise<ListedPartner | null> {
  const entry = (await models.DirectoryEntry.findById(logEntryId(directoryStream, n)).lean()) as
    (DirectoryEntryDoc & { _id: string }) | null;
  if (!entry) return null;
  return (await models.Partner.findById(entry.partnerId).lean()) as ListedPartner | null;
}

/** Every listed partner, newest first, a page at a time (a batch read: the unpaged report). */
export async function* allListedPartners(models: Deps): AsyncGenerator<ListedPartner> {
  let after: string | undefined;
  do {
    const page = await directoryPage(models, {}, { limit: 200, ...(after === undefined ? {} : { after }) });
    yield* page.partners;
    after = page.nextAfter ?? undefined;
  } while (after !== undefined);
}
