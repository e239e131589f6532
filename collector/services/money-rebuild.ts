// Building the money read models (domain/statement.ts) from the facts: once, on its own, when a
// collector starts on a data folder written before they existed (a unique marker insert makes one
// process do it), and on demand with `npm run cli -- stats rebuild` (which starts them afresh).
// Both stream the ledger, the customers and the invoices (a scan, in chunks) into refold deltas
// `money:<run>:<fact>:<id>` that the stats folder folds like any other, so memory stays bounded and
// the keys make a repeated run add nothing. An invoice whose own delta is still pending is left to
// it (its book increment would count twice). Statement and book months an older version left over
// the chunk limits are reshaped once by the folder (reshapeLargeMonths).
import { randomUUID } from 'node:crypto';
import { bookRules, reshapeMonthDoc, statementRules, type MonthDoc } from '../domain/statement';
import type { Logger } from '../logger';
import type { Models } from '../models';
import { monthLimits, type TreeLimits } from '../domain/month-chunks';
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

/**
 * The marker of the reshape below. Replaces `migration:month_chunks` (months stored whole split
 * into one level of chunks): a data folder that ran that one may hold heads naming too many chunks.
 */
const reshapeMarkerId = 'migration:month_tree';

/**
 * Once per database, by the fold lease's holder: statement and book month heads an older version
 * left over the limits (months stored whole, heads naming more chunks than a head may) are reshaped
 * into a tree (new chunks first, then the head naming them, so a crash halfway leaves the month
 * readable as it was and the next start reshapes it again the same way). Streams the heads.
 */
export async function reshapeLargeMonths(
  models: Models,
  logger: Logger,
  keep: () => Promise<void>,
  limits: TreeLimits = monthLimits,
): Promise<number> {
  const { StatFold } = models;
  if (await StatFold.findById(reshapeMarkerId, { _id: 1 }).lean()) return 0;
  let reshaped = 0;
  const kinds = [
    { store: statementStore(models), rules: statementRules as Parameters<typeof reshapeMonthDoc>[2] },
    { store: bookStore(models), rules: bookRules as Parameters<typeof reshapeMonthDoc>[2] },
  ];
  for (const { store, rules } of kinds) {
    // Heads only: a chunk's `_id` has a third part.
    const heads = store.model.collection.find({ seq: { $exists: true } });
    for await (const stored of heads) {
      const next = reshapeMonthDoc(store.field, stored as unknown as MonthDoc, rules, limits);
      if (!next) continue;
      if (reshaped === 0) logger.info('reshaping large statement and book months into chunk trees (once)');
      await keep();
      await writeMonth(store, next.head.partnerId, next);
      reshaped += 1;
    }
  }
  await insertNew(StatFold.collection, [{ _id: reshapeMarkerId, done: true, rows: reshaped, createdAt: new Date() }]);
  if (reshaped > 0) logger.info({ months: reshaped }, 'statement and book months reshaped into chunk trees');
  return reshaped;
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
