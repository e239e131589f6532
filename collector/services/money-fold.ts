// The money read models (domain/statement.ts), folded by the stats folder from the same insert-only
// deltas as the counters (services/stats-folder.ts), under the same lease and in the same
// journaled batches:
//
// - `ledger:<entryId>`, inserted before a ledger entry (ledger-writer.ts): the entry's line.
// - `claim:<entryId>:<payoutId>` / `release:<entryId>:<payoutId>`, inserted before a payout claim is
//   inserted or deleted (payouts.ts): the claim as it is when folded. A line is always SET from the
//   facts as read (entry, reversal, claim), never incremented, so folding one twice or late changes
//   nothing; the delta waits (up to the grace time) until the claim looks as it announced.
// - `signup:<customerId>` and `invoice:<eventId>` (the counters' deltas) also set the customer in
//   the book and add the invoice to it.
// - `money:<run>:<fact>:<id>`: the migration and `stats rebuild` refolding every fact.
//
// Totals change by the difference between a line before and after the batch, computed when the
// batch is planned (the statement documents as the last batch left them) and written with it.
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { leafItems, readPaths, type MonthNode, type MonthRules, type TreeLimits } from '../domain/month-chunks';
import {
  applyReleaseDay,
  applyTotals,
  bookRules,
  foldMonthDocs,
  groupByStatement,
  lineBaseOf,
  monthNode,
  planMoneyBatch,
  releaseDayDoc,
  releaseDayId,
  releasesOf,
  statementRules,
  type CustomerFacts,
  type EntryDoc,
  type ItemField,
  type LineBase,
  type LineOp,
  type MoneyBatch,
  type MoneyOps,
  type MoneyTotals,
  type MonthDoc,
  type MonthWrite,
  type ReleaseDayDoc,
  type StoredLine,
} from '../domain/statement';
import { keyFilter } from '../db/key-filter';
import type { Models } from '../models';
import { insertNew } from './duplicates';
import { foldLanes, inLanes } from './lanes';

/** What one fold batch does to the money read models (stored in the batch, replayed after a crash). */
export const ledgerDeltaId = (entryId: string) => `ledger:${entryId}`;
export const claimDeltaId = (entryId: string, payoutId: string, claimed: boolean) =>
  `${claimed ? 'claim' : 'release'}:${entryId}:${payoutId}`;

/** Awaited before a ledger entry is inserted; again for the same entry adds nothing. */
export async function recordLedgerDelta(models: Models, entryId: string): Promise<void> {
  await insertNew(models.StatDelta.collection, [
    { _id: ledgerDeltaId(entryId), kind: 'ledger', ref: entryId, createdAt: new Date() },
  ]);
}

/** Awaited before payout claims are inserted (`claimed`) or deleted: the folder re-reads those entries. */
export async function recordClaimDeltas(
  models: Models,
  payoutId: string,
  entryIds: readonly string[],
  claimed: boolean,
): Promise<void> {
  if (entryIds.length === 0) return;
  const createdAt = new Date();
  await insertNew(
    models.StatDelta.collection,
    entryIds.map((entryId) => ({
      _id: claimDeltaId(entryId, payoutId, claimed),
      kind: 'claim',
      ref: entryId,
      expect: claimed ? payoutId : null,
      createdAt,
    })),
  );
}

/** Reads the facts a line is made of, by `_id`, with small caches for one fold. */
export class LineReader {
  private readonly customers = new Map<string, CustomerFacts | null>();

  constructor(private readonly models: Models) {}

  async customer(customerId: string | null | undefined): Promise<CustomerFacts | null> {
    if (!customerId) return null;
    if (this.customers.has(customerId)) return this.customers.get(customerId)!;
    const customer = await this.models.Customer.findById(customerId, {
      boundAt: 1,
      bid: 1,
      method: 1,
      couponCode: 1,
      clickId: 1,
    }).lean();
    let facts: CustomerFacts | null = null;
    if (customer) {
      const click = customer.clickId
        ? await this.models.Click.findById(customer.clickId, { occurredAt: 1 }).lean()
        : null;
      facts = { ...customer, clickedAt: click?.occurredAt ?? null };
    }
    if (this.customers.size > 10_000) this.customers.clear();
    this.customers.set(customerId, facts);
    return facts;
  }

  private async base(entry: EntryDoc): Promise<LineBase> {
    const invoice =
      entry.kind === 'commission' && (entry.base === undefined || entry.base === null)
        ? await this.models.RevenueEvent.findById(entry.eventId, { commissionable: 1, ratePpm: 1 }).lean()
        : null;
    return lineBaseOf(entry, invoice, await this.customer(entry.customerId));
  }

  /** The op that sets the entry's line (with its claim as it is now); null when the entry is not stored. */
  async opOf(entryId: string): Promise<LineOp | null> {
    const { LedgerEntry, PayoutClaim } = this.models;
    const entry = (await LedgerEntry.findById(entryId).lean()) as EntryDoc | null;
    if (!entry) return null;
    const claim = await PayoutClaim.findById(entryId, { payoutId: 1 }).lean();
    const claimOp = { entryId, payoutId: claim?.payoutId ?? null };
    if (entry.kind !== 'reversal') return { partnerId: entry.partnerId, line: await this.base(entry), claim: claimOp };
    const commission = entry.reverses ? ((await LedgerEntry.findById(entry.reverses).lean()) as EntryDoc | null) : null;
    if (!commission) return null;
    return {
      partnerId: entry.partnerId,
      line: await this.base(commission),
      reversal: { id: entry._id, amount: entry.amount, availableAt: entry.availableAt },
      claim: claimOp,
    };
  }
}

/** A collection of month documents in chunk trees: statement lines or customer books. */
export interface MonthStore {
  model: { db: Connection; collection: Collection };
  field: ItemField;
}

export const statementStore = (models: Models): MonthStore => ({ model: models.StatementMonth, field: 'lines' });
export const bookStore = (models: Models): MonthStore => ({ model: models.CustomerBook, field: 'customers' });

const readMonthDoc = async (store: MonthStore, id: string) =>
  (await store.model.collection.findOne({ _id: id as never })) as MonthDoc | null;

/** The stored documents of one month a fold of `keys` reads: the head and the chunks on their paths. */
async function readMonthPaths<T>(
  store: MonthStore,
  id: string,
  head: MonthDoc | null,
  keys: readonly string[],
): Promise<Map<string, MonthNode<T>>> {
  return readPaths<T>(id, head && monthNode(store.field, head), keys, async (chunkId) => {
    const chunk = await readMonthDoc(store, chunkId);
    // Chunks are written before the head that names them and deleted only once no head does.
    if (!chunk) throw new Error(`chunk ${chunkId} under ${id} is missing`);
    return monthNode<T>(store.field, chunk);
  });
}

/** Plans a batch from the statement chunks its ops touch, as the last batch left them. */
export async function planMoney(models: Models, ops: MoneyOps): Promise<MoneyBatch> {
  const store = statementStore(models);
  const stored = new Map<string, { lines: StoredLine[] }>();
  await inLanes([...groupByStatement(ops.lines).values()], foldLanes, async (group) => {
    const head = await readMonthDoc(store, group.id);
    if (!head) return;
    const nodes = await readMonthPaths<StoredLine>(store, group.id, head, group.ops.map(statementRules.opKey));
    stored.set(group.id, { lines: leafItems(nodes) });
  });
  return planMoneyBatch(ops, (id) => stored.get(id) ?? null);
}

/** Copy-on-write: new chunks, then the head that names them, then the chunks no head names. */
export async function writeMonth(
  store: MonthStore,
  partnerId: string,
  month: MonthWrite,
  afterWrite?: (id: string) => Promise<void>,
): Promise<void> {
  const { model } = store;
  for (const { _id, ...doc } of [...month.write, month.head]) {
    await model.collection.replaceOne(keyFilter(model, _id, partnerId) as never, doc, { upsert: true });
    await afterWrite?.(_id);
  }
  await deleteChunks(store, partnerId, month.retired);
}

async function deleteChunks(store: MonthStore, partnerId: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) await store.model.collection.deleteOne(keyFilter(store.model, id, partnerId) as never);
}

/** Folds each month group into its chunks; months whose head shows this batch applied are skipped. */
async function finishMonths<T, Op>(
  store: MonthStore,
  groups: ReadonlyArray<{ id: string; partnerId: string; month: string; ops: Op[] }>,
  rules: MonthRules<T, Op>,
  seq: number,
  each: () => Promise<void>,
  seams: FoldSeams,
): Promise<void> {
  // Each group is one month of one partner: months are written a few at once.
  await inLanes(groups, foldLanes, async (group) => {
    await each();
    const stored = await readMonthDoc(store, group.id);
    if ((stored?.seq ?? 0) >= seq) {
      // Written by this batch before a crash: the chunks it replaced may still be there.
      if (stored?.seq === seq) await deleteChunks(store, group.partnerId, stored.retired ?? []);
      return;
    }
    const nodes = await readMonthPaths<T>(store, group.id, stored, group.ops.map(rules.opKey));
    const folded = foldMonthDocs(store.field, group, nodes, rules, seq, seams.limits);
    await writeMonth(store, group.partnerId, folded, seams.afterWrite);
  });
}

/** Test seams of a fold. */
export interface FoldSeams {
  /** Runs after each document written (throw to crash mid-batch). */
  afterWrite?: ((id: string) => Promise<void>) | undefined;
  /** Smaller month chunks, to build deep trees from a few lines. */
  limits?: TreeLimits | undefined;
}

/** Writes a planned batch; documents whose `seq` shows it applied are skipped (a batch finished after a crash). */
export async function finishMoney(
  models: Models,
  money: MoneyBatch,
  batch: { seq: number; at: Date },
  each: () => Promise<void>,
  seams: FoldSeams = {},
): Promise<void> {
  const { afterWrite } = seams;
  const { MoneyTotal, ReleaseDay } = models;
  const { seq, at } = batch;
  await finishMonths(statementStore(models), money.statements, statementRules, seq, each, seams);
  await inLanes(money.totals, foldLanes, async ({ partnerId, change }) => {
    await each();
    const stored = (await MoneyTotal.findById(partnerId).lean()) as MoneyTotals | null;
    if ((stored?.seq ?? 0) >= seq) return;
    const { totals, releaseDays } = applyTotals(stored, partnerId, change, at, seq);
    // Release days first: totals at this seq mean its days are written too.
    for (const [day, changes] of releaseDays) {
      const id = releaseDayId(partnerId, day);
      const storedDay = (await ReleaseDay.findById(id).lean()) as ReleaseDayDoc | null;
      if ((storedDay?.seq ?? 0) >= seq) continue;
      const { _id, ...next } = releaseDayDoc(partnerId, day, seq, applyReleaseDay(releasesOf(storedDay), changes));
      await ReleaseDay.collection.replaceOne(keyFilter(ReleaseDay, _id, partnerId) as never, next, { upsert: true });
      await afterWrite?.(id);
    }
    const { _id, ...rest } = totals;
    await MoneyTotal.collection.replaceOne(keyFilter(MoneyTotal, _id, partnerId) as never, rest, { upsert: true });
    await afterWrite?.(_id);
  });
  await finishMonths(bookStore(models), money.books, bookRules, seq, each, seams);
}
