// What one lookup by `_id` costs as a collection grows: a find and an `$inc` upsert by exact `_id`
// (the only filter FerretDB's SQLite backend sends to SQL), timed one at a time on collections of
// several sizes. On an engine whose `_id` lookups use the index the figures stay flat.
import type { mongo } from 'mongoose';
import { median } from './stats';

export interface IdLookupFigures {
  documents: number;
  /** Median milliseconds of one findOne({_id}). */
  findMs: number;
  /** Median milliseconds of one updateOne({_id}, {$inc}, {upsert}) on an existing document. */
  incMs: number;
}

const batch = 1000;

/** Fills `collection` with `size` small documents keyed like the read models (`<partner>|<month>`). */
async function fill(db: mongo.Db, collection: string, size: number): Promise<void> {
  const target = db.collection<{ _id: string; clicks: number; signups: number }>(collection);
  for (let start = 0; start < size; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(size, start + batch); i++)
      docs.push({ _id: keyOf(i), clicks: i % 97, signups: i % 13 });
    await target.insertMany(docs, { ordered: false });
  }
}

function keyOf(i: number): string {
  return `p${String(i).padStart(7, '0')}|2026-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Times `samples` finds and `$inc` upserts of random existing keys in a collection of each size. */
export async function measureIdLookups(
  db: mongo.Db,
  sizes: readonly number[],
  samples: number,
  log: (line: string) => void = () => {},
): Promise<IdLookupFigures[]> {
  const figures: IdLookupFigures[] = [];
  for (const size of sizes) {
    const name = `id_lookups_${size}`;
    await db
      .collection(name)
      .drop()
      .catch(() => {});
    const filled = Date.now();
    await fill(db, name, size);
    log(`  ${size.toLocaleString('en-US')} documents written in ${((Date.now() - filled) / 1000).toFixed(1)} s`);
    const collection = db.collection<{ _id: string }>(name);
    const finds: number[] = [];
    const incs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const key = keyOf(Math.floor(Math.random() * size));
      let started = performance.now();
      const found = await collection.findOne({ _id: key });
      finds.push(performance.now() - started);
      if (!found) throw new Error(`${key} not found in ${name}`);
      started = performance.now();
      await collection.updateOne({ _id: key }, { $inc: { clicks: 1 } }, { upsert: true });
      incs.push(performance.now() - started);
    }
    figures.push({ documents: size, findMs: median(finds), incMs: median(incs) });
    await collection.drop();
  }
  return figures;
}
