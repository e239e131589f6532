// One-time move of the old per-day counters (`daily_stats`, one document per partner, day and
// banner) into the bucket layout. Each old row becomes a delta keyed by the row (`migrated:<id>`),
// which the folder counts exactly once like any other; a unique marker insert makes one process do
// the move, and a crashed move is simply done again (the keys make it idempotent).
import type { Logger } from '../logger';
import type { Models } from '../models';
import { counterNames, type Contribution } from '../domain/stat-layout';
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
