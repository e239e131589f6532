// Operator lists over partners, customers, the commission ledger, payouts and banners: filters,
// keyset pages on `_id` (stable sort; `page` serves the coupon lists too), and single records.
// Lists other than partners scan on the embedded FerretDB engine (only exact `_id` filters use its
// index): fine for operators' occasional reads, as documented. Partners are read from the directory
// by key (services/partner-directory.ts).
import type { Config } from '../config';
import { entryStatus } from '../domain/ledger';
import { encodeCursor } from '../domain/cursor';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { CustomerDoc } from '../models/customer';
import type { LedgerEntryDoc, LedgerKind } from '../models/ledger-entry';
import type { PartnerFilter } from '../domain/partner-directory';
import type { payoutStatuses } from '../models/payout';
import { partnerProfile } from './partner-accounts';
import { directoryPage } from './partner-directory';
import { payoutView } from './payouts';

type Deps = { models: Models };

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

type IdOrder = { _id: 1 | -1 };

/** One page in `_id` order (descending with `{ _id: -1 }`), the cursor naming the last `_id` shown. */
export async function page<Doc extends { _id: string }, T>(
  find: (filter: Record<string, unknown>, sort: IdOrder, limit: number) => Promise<Doc[]>,
  filter: Record<string, unknown>,
  request: PageRequest,
  view: (docs: Doc[]) => Promise<T[]> | T[],
  sort: IdOrder = { _id: 1 },
): Promise<Page<T>> {
  const after = sort._id === 1 ? '$gt' : '$lt';
  const docs = await find(
    request.cursor === undefined ? filter : { ...filter, _id: { [after]: request.cursor } },
    sort,
    request.limit + 1,
  );
  const more = docs.length > request.limit;
  const shown = more ? docs.slice(0, request.limit) : docs;
  return { items: await view(shown), nextCursor: more ? encodeCursor(shown.at(-1)!._id) : null };
}

export const definedOnly = (filter: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));

type Customer = CustomerDoc & { _id: string };

const customerView = (customer: Customer) => ({
  customerId: customer._id,
  partnerId: customer.partnerId,
  clickId: customer.clickId,
  bid: customer.bid ?? null,
  email: customer.email ?? null,
  boundAt: customer.boundAt,
});

export function listCustomers({ models }: Deps, filter: { partnerId?: string | undefined }, request: PageRequest) {
  return page(
    (query, sort, limit) => models.Customer.find(query).sort(sort).limit(limit).lean(),
    definedOnly(filter),
    request,
    (docs) => docs.map(customerView),
  );
}

export async function getCustomer({ models }: Deps, customerId: string) {
  const customer = await models.Customer.findById(customerId).lean();
  if (!customer) throw new DomainError('not-found', `No customer ${customerId}.`, 'customer-not-found');
  return customerView(customer);
}

type LedgerDoc = LedgerEntryDoc & { _id: string };

/** Ledger lines with whether a payout claimed them (one keyed read each, at most a page). */
async function commissionViews(models: Models, entries: LedgerDoc[], now = new Date()) {
  const claimed = await Promise.all(
    entries.map((entry) => models.PayoutClaim.findById(entry._id, { payoutId: 1 }).lean()),
  );
  return entries.map((entry, index) => ({
    id: entry._id,
    partnerId: entry.partnerId,
    kind: entry.kind,
    amount: entry.amount,
    currency: entry.currency,
    customerId: entry.customerId ?? null,
    eventId: entry.eventId,
    reverses: entry.reverses ?? null,
    occurredAt: entry.occurredAt,
    availableAt: entry.availableAt,
    /** pending (held), payable, or paid (claimed by the payout named). */
    status: entryStatus(entry, Boolean(claimed[index]), now),
    payoutId: claimed[index]?.payoutId ?? null,
  }));
}

export function listCommissions(
  { models }: Deps,
  filter: {
    partnerId?: string | undefined;
    kind?: LedgerKind | undefined;
    customerId?: string | undefined;
    eventId?: string | undefined;
  },
  request: PageRequest,
) {
  return page(
    (query, sort, limit) => models.LedgerEntry.find(query).sort(sort).limit(limit).lean(),
    definedOnly(filter),
    request,
    (docs) => commissionViews(models, docs),
  );
}

export async function getCommission({ models }: Deps, id: string) {
  const entry = await models.LedgerEntry.findById(id).lean();
  if (!entry) throw new DomainError('not-found', `No ledger entry ${id}.`, 'commission-not-found');
  return (await commissionViews(models, [entry]))[0]!;
}

/**
 * Partners newest first (by when they were created), filtered by status and searched by `q` (the
 * exact ID, or part of the email or name, any case): a page of the partner directory, each entry
 * and its partner read by `_id` (services/partner-directory.ts). A filtered page reads a bounded
 * number of entries: it may come back short, or empty, with a `nextCursor` to read on. The one
 * place the operator's partner list reads partners.
 */
export async function listPartners(
  { config, models }: Deps & { config: Config },
  filter: PartnerFilter,
  request: PageRequest,
): Promise<Page<ReturnType<typeof partnerProfile>>> {
  if (filter.q && request.cursor === undefined) {
    // An exact partner ID is one lookup by key.
    const partner = await models.Partner.findById(filter.q).lean();
    if (partner && (filter.status === undefined || partner.status === filter.status))
      return { items: [partnerProfile(config, partner)], nextCursor: null };
  }
  const page = await directoryPage(models, filter, { limit: request.limit, after: request.cursor });
  return {
    items: page.partners.map((partner) => partnerProfile(config, partner)),
    nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter),
  };
}

/** Payout batches newest first (their IDs start with the run's day), optionally by status. */
export function listPayouts(
  { models }: Deps,
  filter: { status?: (typeof payoutStatuses)[number] | undefined },
  request: PageRequest,
) {
  return page(
    (where, sort, limit) => models.Payout.find(where).sort(sort).limit(limit).lean(),
    definedOnly(filter),
    request,
    (docs) => docs.map(payoutView),
    { _id: -1 },
  );
}

/** Banners by ID (the `a_bid` partners' links carry). */
export function listBanners({ models }: Deps, request: PageRequest) {
  return page(
    (where, sort, limit) => models.Banner.find(where).sort(sort).limit(limit).lean(),
    {},
    request,
    (docs) => docs.map(bannerView),
  );
}

export const bannerView = ({ _id, ...banner }: { _id: string } & Record<string, unknown>) => ({
  bannerId: _id,
  ...banner,
});
