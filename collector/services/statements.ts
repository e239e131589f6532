// What partners and operators read about money, from the money read models (domain/statement.ts,
// folded by services/money-fold.ts): a bounded number of documents read by `_id` per request,
// whatever the ledger's size. Figures lag the facts by the fold interval, like the counters.
import { utcDay } from '../domain/days';
import { DomainError } from '../domain/errors';
import {
  balanceAt,
  customerKey,
  customerStatus,
  lineKey,
  nextReleaseDay,
  releaseDayId,
  releasesOf,
  revenueThisMonth,
  statementId,
  statementLine,
  bookId,
  monthNode,
  type Balance,
  type BookCustomer,
  type MoneyTotals,
  type ReleaseDayDoc,
  type StatementLine,
  type MonthDoc,
  type StoredLine,
} from '../domain/statement';
import { leavesBelow } from '../domain/month-chunks';
import type { EntryStatus } from '../domain/ledger';
import type { Models } from '../models';
import type { ServiceDeps } from './deps';
import { bookStore, statementStore, type MonthStore } from './money-fold';

type ModelDeps = Pick<ServiceDeps, 'models'>;

/** A page reads at most this many month documents or chunks (so a rare status filter cannot read the whole history). */
export const maxSegmentsPerPage = 12;

async function totalsOf(models: Models, partnerId: string): Promise<MoneyTotals | null> {
  return (await models.MoneyTotal.findById(partnerId).lean()) as MoneyTotals | null;
}

async function releaseDay(models: Models, partnerId: string, day: string) {
  const doc = (await models.ReleaseDay.findById(releaseDayId(partnerId, day)).lean()) as ReleaseDayDoc | null;
  return doc ? releasesOf(doc) : undefined;
}

/** Balance at `asOf` from the totals: 1 to 3 documents read by `_id`. */
export async function balanceFrom(
  models: Models,
  partnerId: string,
  totals: MoneyTotals | null,
  asOf: Date,
  withNextRelease = true,
): Promise<Balance> {
  const day = utcDay(asOf);
  const today = totals?.days[day] !== undefined ? await releaseDay(models, partnerId, day) : undefined;
  const nextDay = withNextRelease ? nextReleaseDay(totals, asOf) : null;
  const later = nextDay ? await releaseDay(models, partnerId, nextDay) : undefined;
  return balanceAt(totals, today, asOf, later);
}

export async function partnerBalance({ models }: ModelDeps, partnerId: string, asOf: Date): Promise<Balance> {
  return balanceFrom(models, partnerId, await totalsOf(models, partnerId), asOf);
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A stored piece of a month's items, newest first; `last` when the month holds nothing older. */
interface Segment<Item> {
  entries: Array<{ key: string; item: Item | null }>;
  last: boolean;
}

const monthStart = (month: string) => `${String(Date.parse(`${month}-01T00:00:00.000Z`)).padStart(15, '0')}|`;

/**
 * Newest first over the months named in `months`: items whose key sorts before `after`, reading
 * at most `maxSegmentsPerPage` stored pieces; a short page with a cursor means "read on".
 */
async function pageOverMonths<Item>(
  months: readonly string[],
  after: string | undefined,
  limit: number,
  segmentsOf: (month: string, below: string | undefined) => AsyncIterable<Segment<Item>>,
): Promise<Page<Item>> {
  if (after !== undefined && !/^\d{15}\|/.test(after)) {
    throw new DomainError('invalid', 'The cursor is not one this API gave out.', 'invalid-request', {
      fields: [{ field: 'cursor', message: 'is not a cursor this API gave out' }],
    });
  }
  const afterMonth = after ? new Date(Number(after.slice(0, 15))).toISOString().slice(0, 7) : undefined;
  const candidates = [...months]
    .sort()
    .reverse()
    .filter((month) => !afterMonth || month <= afterMonth);
  const items: Item[] = [];
  let read = 0;
  let resume: string | undefined;
  for (const [index, month] of candidates.entries()) {
    const segments = segmentsOf(month, after)[Symbol.asyncIterator]();
    for (;;) {
      if (read === maxSegmentsPerPage) return { items, nextCursor: resume ?? null };
      const next = await segments.next();
      if (next.done) break;
      read += 1;
      const { entries, last } = next.value;
      for (const { key, item } of entries) {
        if (after && key >= after) continue;
        resume = key;
        if (item === null) continue;
        items.push(item);
        if (items.length === limit) {
          const more = index < candidates.length - 1 || !last || entries.some((other) => other.key < key);
          return { items, nextCursor: more ? key : null };
        }
      }
    }
    resume = monthStart(month);
  }
  return { items, nextCursor: null };
}

/**
 * A month's items below `below` (all without it), newest first, a leaf at a time; chunks wholly
 * above `below` are not read. A chunk deleted by a fold after its head was read means a newer
 * head: read again from the last item given.
 */
async function* monthChunks<T>(
  store: MonthStore,
  id: string,
  itemKey: (item: T) => string,
  below: string | undefined,
): AsyncGenerator<{ items: T[]; last: boolean }> {
  let bound = below;
  const read = async (docId: string) => {
    const doc = (await store.model.collection.findOne({ _id: docId as never })) as MonthDoc | null;
    return doc && monthNode<T>(store.field, doc);
  };
  for (let attempt = 1; ; attempt++) {
    const head = await read(id);
    if (!head) return;
    const leaves = leavesBelow(head, () => bound, read);
    let step = await leaves.next();
    for (; !step.done; step = await leaves.next()) {
      const items = step.value.items.filter((item) => bound === undefined || itemKey(item) < bound);
      if (items.length > 0) bound = itemKey(items[items.length - 1]!);
      yield { items, last: step.value.last };
    }
    if (step.value === 'done') return;
    if (attempt === 3) throw new Error(`${id} changed three times while read`);
  }
}

/** One page of a partner's statement lines, newest first, optionally of one status (at `now`). */
export async function statementPage(
  { models }: ModelDeps,
  partnerId: string,
  query: { status?: EntryStatus | undefined; limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<StatementLine>> {
  const totals = await totalsOf(models, partnerId);
  return pageOverMonths(totals?.months ?? [], query.cursor, query.limit, async function* (month, below) {
    const chunks = monthChunks<StoredLine>(statementStore(models), statementId(partnerId, month), lineKey, below);
    for await (const { items, last } of chunks) {
      const entries = items.map((line) => {
        const shown = statementLine(line, now);
        return { key: lineKey(line), item: !query.status || shown.status === query.status ? shown : null };
      });
      yield { entries, last };
    }
  });
}

/** Every statement line of a partner, newest first, one stored chunk at a time (CSV, operator views). */
export async function* allStatementLines(
  { models }: ModelDeps,
  partnerId: string,
  now: Date,
): AsyncGenerator<StatementLine> {
  const totals = await totalsOf(models, partnerId);
  for (const month of [...(totals?.months ?? [])].sort().reverse()) {
    const chunks = monthChunks<StoredLine>(statementStore(models), statementId(partnerId, month), lineKey, undefined);
    for await (const { items } of chunks) {
      for (const line of items) yield statementLine(line, now);
    }
  }
}

/** A book customer as partners see it: the stored figures and whether they are still active. */
export type CustomerView = Omit<BookCustomer, 'revenueMonth'> & { status: 'active' | 'churned' };

/** One page of the partner's book of business (their own customers only), newest signup first. */
export async function customersPage(
  { models }: ModelDeps,
  partnerId: string,
  query: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<CustomerView>> {
  const view = (customer: BookCustomer): CustomerView => ({
    customerId: customer.customerId,
    signedUpAt: customer.signedUpAt,
    method: customer.method,
    bid: customer.bid,
    coupon: customer.coupon,
    firstInvoiceAt: customer.firstInvoiceAt,
    latestInvoiceAt: customer.latestInvoiceAt,
    monthRevenue: revenueThisMonth(customer, now),
    lifetimeRevenue: customer.lifetimeRevenue,
    lifetimeCommission: customer.lifetimeCommission,
    status: customerStatus(customer, now),
  });
  const totals = await totalsOf(models, partnerId);
  return pageOverMonths(totals?.bookMonths ?? [], query.cursor, query.limit, async function* (month, below) {
    const chunks = monthChunks<BookCustomer>(bookStore(models), bookId(partnerId, month), customerKey, below);
    for await (const { items, last } of chunks) {
      yield { entries: items.map((customer) => ({ key: customerKey(customer), item: view(customer) })), last };
    }
  });
}
