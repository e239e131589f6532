// Operator lists over customers and the commission ledger: filters, keyset pages on `_id` (stable
// sort), and single records. Lists scan on the embedded FerretDB engine (only exact `_id` filters
// use its index): fine for operators' occasional reads, as documented.
import { entryStatus } from '../domain/ledger';
import { encodeCursor } from '../domain/cursor';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { CustomerDoc } from '../models/customer';
import type { LedgerEntryDoc, LedgerKind } from '../models/ledger-entry';

type Deps = { models: Models };

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

async function page<Doc extends { _id: string }, T>(
  find: (filter: Record<string, unknown>, limit: number) => Promise<Doc[]>,
  filter: Record<string, unknown>,
  request: PageRequest,
  view: (docs: Doc[]) => Promise<T[]> | T[],
): Promise<Page<T>> {
  const docs = await find(
    request.cursor === undefined ? filter : { ...filter, _id: { $gt: request.cursor } },
    request.limit + 1,
  );
  const more = docs.length > request.limit;
  const shown = more ? docs.slice(0, request.limit) : docs;
  return { items: await view(shown), nextCursor: more ? encodeCursor(shown.at(-1)!._id) : null };
}

const definedOnly = (filter: Record<string, unknown>) =>
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
    (query, limit) => models.Customer.find(query).sort({ _id: 1 }).limit(limit).lean(),
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
    (query, limit) => models.LedgerEntry.find(query).sort({ _id: 1 }).limit(limit).lean(),
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
