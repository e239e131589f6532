// One-time moves of the counters' layout. The old per-day counters (`daily_stats`, one document
// per partner, day and banner) into the bucket layout: Each old row becomes a delta keyed by the row (`migrated:<id>`),
// which the folder counts exactly once like any other; a unique marker insert makes one process do
// the move, and a crashed move is simply done again (the keys make it idempotent).
import type { Logger } from '../logger';
import type { Models } from '../models';
import { counterNames, daysOf, type Bucket, type Contribution } from '../domain/stat-layout';
import { keyFilter } from '../db/key-filter';
import { insertNew } from './duplicates';

export const legacyCollection = 'daily_stats';
const markerId = 'migration:daily_stats';
/** A marker older than this whose move never finished is taken to be from a crashed process. */
const staleAfterMs = 10 * 60_000;

interface LegacyRow {
  _id: string;
  partnerId: string;
  day: string;
  bid?: string;
  [counter: string]: unknown;
}

/** Moves daily_stats into deltas once; returns how many rows it moved (0 when there was nothing to do). */
export async function migrateDailyStats(models: Models, logger: Logger, owner: string): Promise<number> {
  const db = models.StatFold.db.db;
  if (!db) return 0;
  const exists = (await db.listCollections({ name: legacyCollection }, { nameOnly: true }).toArray()).length > 0;
  if (!exists) return 0;
  const [mine] = await insertNew(models.StatFold.collection, [
    { _id: markerId, owner, done: false, createdAt: new Date() },
  ]);
  if (!mine) {
    const marker = await models.StatFold.findById(markerId).lean();
    if (marker?.done || Date.now() - (marker?.createdAt?.getTime() ?? 0) < staleAfterMs) return 0;
    await models.StatFold.updateOne({ _id: markerId }, { $set: { owner, createdAt: new Date() } });
  }
  logger.info('moving daily_stats counters to the bucket layout (once)');
  const legacy = db.collection<LegacyRow>(legacyCollection);
  let moved = 0;
  let chunk: object[] = [];
  const write = async () => {
    await insertNew(models.StatDelta.collection, chunk);
    moved += chunk.length;
    chunk = [];
  };
  for await (const row of legacy.find({})) {
    const counters = Object.fromEntries(
      counterNames.map((name) => [name, typeof row[name] === 'number' ? row[name] : 0]),
    );
    const contribution: Contribution = { partnerId: row.partnerId, day: row.day, banner: row.bid || null, counters };
    chunk.push({ _id: `migrated:${row._id}`, kind: 'migrated', ref: row._id, createdAt: new Date(), contribution });
    if (chunk.length >= 1000) await write();
  }
  if (chunk.length > 0) await write();
  await legacy.drop();
  await models.StatFold.updateOne({ _id: markerId }, { $set: { done: true, rows: moved } });
  logger.info({ rows: moved }, 'daily_stats moved to the bucket layout; the folder counts them in the background');
  return moved;
}

/**
 * The once-per-database marker of the copy to `stat_days` (a bulk loader that wrote them writes
 * it). Its second version: the first wrote the days unpacked, so folders that had it copy again.
 */
export const daysMigrationId = 'migration:stat_days:packed';

/**
 * Once per database, by the fold lease's holder: the daily counters of every partner bucket
 * written by an older version are copied to `stat_days` (a rerun copies the same again).
 */
export async function copyDaysOfBuckets(models: Models, logger: Logger, keep: () => Promise<void>): Promise<number> {
  const { StatBucket, StatDay, StatFold } = models;
  if (await StatFold.findById(daysMigrationId, { _id: 1 }).lean()) return 0;
  let copied = 0;
  for await (const bucket of StatBucket.find({ dims: { $exists: true } })
    .lean()
    .cursor()) {
    if (copied === 0) logger.info('copying the daily counters of partner buckets to stat_days (once)');
    if (copied % 500 === 0) await keep();
    const { _id, ...days } = daysOf(bucket as unknown as Bucket);
    await StatDay.collection.replaceOne(keyFilter(StatDay, _id, days.partnerId) as never, days, { upsert: true });
    copied += 1;
  }
  await insertNew(StatFold.collection, [{ _id: daysMigrationId, done: true, rows: copied, createdAt: new Date() }]);
  if (copied > 0) logger.info({ buckets: copied }, 'daily counters copied to stat_days');
  return copied;
}

/** Whether `stat_days` holds every partner bucket's days (new databases: once the folder first ran). */
export async function daysCopied(models: Models): Promise<boolean> {
  return (await models.StatFold.exists({ _id: daysMigrationId })) !== null;
}
