// Building the money read models (domain/statement.ts) from the facts: once, on its own, when a
// collector starts on a data folder written before they existed (a unique marker insert makes one
// process do it), and on demand with `npm run cli -- stats rebuild` (which starts them afresh).
// Both stream the ledger, the customers and the invoices (a scan, in chunks) into refold deltas
// `money:<run>:<fact>:<id>` that the stats folder folds like any other, so memory stays bounded and
// the keys make a repeated run add nothing. An invoice whose own delta is still pending is left to
// it (its book increment would count twice). Statement months stored whole by older versions are
// split into chunks once by the folder (splitLargeMonths), and so are books.
import { randomUUID } from 'node:crypto';
import { customerKey, lineKey, splitMonthDoc, type MonthDoc } from '../domain/statement';
import type { Logger } from '../logger';
import type { Models } from '../models';
import { insertNew } from './duplicates';
import { bookStore, statementStore, writeMonth } from './money-fold';
import type { StatsFolder } from './stats-folder';

/** The once-per-database marker of the money read models' first build (a bulk loader that built them writes it done). */
export const moneyMigrationId = 'migration:money_read_models';
/** A marker older than this whose move never finished is taken to be from a crashed process. */
const staleAfterMs = 10 * 60_000;
const chunkSize = 1000;

export interface RefoldCounts {
  entries: number;
  customers: number;
  invoices: number;
}

/** Inserts a refold delta for every ledger entry, customer and invoice; returns how many. */
async function enqueueRefold(models: Models, run: string): Promise<RefoldCounts> {
  const counts: RefoldCounts = { entries: 0, customers: 0, invoices: 0 };
  let chunk: object[] = [];
  const flush = async () => {
    if (chunk.length > 0) await insertNew(models.StatDelta.collection, chunk);
    chunk = [];
  };
  const add = async (fact: 'ledger' | 'customer' | 'invoice', ref: string) => {
    chunk.push({ _id: `money:${run}:${fact}:${ref}`, kind: 'money', fact, ref, createdAt: new Date() });
    if (chunk.length >= chunkSize) await flush();
  };
  for await (const entry of models.LedgerEntry.find({}, { _id: 1 }).lean().cursor()) {
    counts.entries += 1;
    await add('ledger', entry._id);
  }
  for await (const customer of models.Customer.find({}, { _id: 1 }).lean().cursor()) {
    counts.customers += 1;
    await add('customer', customer._id);
  }
  const invoices = models.RevenueEvent.find({ kind: 'invoice' }, { _id: 1, partnerId: 1 }).lean().cursor();
  for await (const invoice of invoices) {
    if (!invoice.partnerId) continue;
    if (await models.StatDelta.exists({ _id: `invoice:${invoice._id}` })) continue;
    counts.invoices += 1;
    await add('invoice', invoice._id);
  }
  await flush();
  return counts;
}

/** Once per database: queues the refold of every money fact; 0 entries when there was nothing to do. */
export async function migrateMoneyReadModels(models: Models, logger: Logger, owner: string): Promise<RefoldCounts> {
  const none = { entries: 0, customers: 0, invoices: 0 };
  const [mine] = await insertNew(models.StatFold.collection, [
    { _id: moneyMigrationId, owner, done: false, createdAt: new Date() },
  ]);
  if (!mine) {
    const marker = await models.StatFold.findById(moneyMigrationId).lean();
    if (marker?.done || Date.now() - (marker?.createdAt?.getTime() ?? 0) < staleAfterMs) return none;
    await models.StatFold.updateOne({ _id: moneyMigrationId }, { $set: { owner, createdAt: new Date() } });
  }
  // A new database has nothing to move: one look at the ledger says so.
  const any =
    (await models.LedgerEntry.findOne({}, { _id: 1 }).lean()) ?? (await models.Customer.findOne({}, { _id: 1 }).lean());
  if (!any) {
    await models.StatFold.updateOne({ _id: moneyMigrationId }, { $set: { done: true, rows: 0 } });
    return none;
  }
  logger.info('building the statement, balance and customer read models from the ledger (once)');
  const counts = await enqueueRefold(models, 'migration');
  await models.StatFold.updateOne({ _id: moneyMigrationId }, { $set: { done: true, rows: counts.entries } });
  logger.info(counts, 'money read models queued; the folder builds them in the background');
  return counts;
}

const chunksMarkerId = 'migration:month_chunks';

/**
 * Once per database, by the fold lease's holder: statement and book months stored whole by older
 * versions that hold more than a chunk are split (chunks first, then the head naming them, so a
 * crash halfway leaves the whole month readable and the next start splits it again the same way).
 */
export async function splitLargeMonths(models: Models, logger: Logger, keep: () => Promise<void>): Promise<number> {
  const { StatFold } = models;
  if (await StatFold.findById(chunksMarkerId, { _id: 1 }).lean()) return 0;
  let split = 0;
  const kinds = [
    { store: statementStore(models), itemKey: lineKey as (item: never) => string },
    { store: bookStore(models), itemKey: customerKey as (item: never) => string },
  ];
  for (const { store, itemKey } of kinds) {
    for await (const stored of store.model.collection.find({ [store.field]: { $exists: true } })) {
      const next = splitMonthDoc(store.field, stored as unknown as MonthDoc, itemKey);
      if (!next) continue;
      if (split === 0) logger.info('splitting large statement and book months into chunks (once)');
      await keep();
      await writeMonth(store, next.head.partnerId, next);
      split += 1;
    }
  }
  await insertNew(StatFold.collection, [{ _id: chunksMarkerId, done: true, rows: split, createdAt: new Date() }]);
  if (split > 0) logger.info({ months: split }, 'statement and book months split into chunks');
  return split;
}

/**
 * `stats rebuild`: drops the money read models and refolds every fact (holding the fold lease
 * while it drops and queues, so no batch is half applied). Readers see them fill up as the folder
 * (or the CLI's own flush) folds.
 */
export async function rebuildMoney(
  models: Models,
  folder: StatsFolder,
  progress: (line: string) => void,
): Promise<RefoldCounts> {
  return folder.withLease(async () => {
    for (const model of [models.StatementMonth, models.MoneyTotal, models.ReleaseDay, models.CustomerBook]) {
      // A drop, as FerretDB cannot delete many documents in one command; an absent collection is fine.
      await model.collection.drop().catch(() => {});
    }
    const counts = await enqueueRefold(models, `rebuild-${randomUUID().slice(0, 8)}`);
    progress(
      `money rebuild: ${counts.entries.toLocaleString('en')} ledger entries, ${counts.customers.toLocaleString('en')} customers, ${counts.invoices.toLocaleString('en')} invoices queued`,
    );
    return counts;
  });
}
