// Writes to a document whose partner is known name the partner on MongoDB (a collection sharded by
// partnerId routes them) and only the `_id` on the embedded FerretDB, where a second key would make
// every such write read the whole table (measured at 100k documents: 4.4 ms by `_id`, 8.7 s with
// `{_id, partnerId}`).
import { keyFilter } from '../../../collector/db/key-filter';
import { createModels } from '../../../collector/models';
import { useTestDatabase } from '../../support/db';

const db = useTestDatabase(__filename);

it('is {_id, partnerId} on MongoDB and {_id} on FerretDB, as the server says it is', async () => {
  const { StatBucket } = createModels(db.connection());
  const info = await db.connection().db!.admin().command({ buildInfo: 1 });
  const expected =
    typeof info.ferretdbVersion === 'string' ? { _id: 'p1|2026-11' } : { _id: 'p1|2026-11', partnerId: 'p1' };
  expect(keyFilter(StatBucket, 'p1|2026-11', 'p1')).toEqual(expected);
});

it('keeps a bucket upsert keyed: as fast among 20k documents as among 200', async () => {
  const { StatBucket } = createModels(db.connection());
  const collection = StatBucket.collection;
  const load = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i += 5000)
      await collection.insertMany(
        Array.from({ length: Math.min(5000, count - i) }, (_, j) => ({
          _id: `${prefix}${(i + j) % 100}|${i + j}` as never,
          partnerId: `${prefix}${(i + j) % 100}`,
          month: '2026-11',
          seq: 0,
        })),
      );
  };
  const median = async (prefix: string, count: number) => {
    const samples: number[] = [];
    for (let r = 0; r < 15; r++) {
      const n = (r * 7919) % count;
      const partnerId = `${prefix}${n % 100}`;
      const started = performance.now();
      await collection.replaceOne(
        keyFilter(StatBucket, `${partnerId}|${n}`, partnerId) as never,
        { partnerId, month: '2026-11', seq: r },
        { upsert: true },
      );
      samples.push(performance.now() - started);
    }
    return samples.sort((a, b) => a - b)[7]!;
  };
  await load('s', 200);
  const small = await median('s', 200);
  await load('l', 20_000);
  const large = await median('l', 20_000);
  // A scan of 20k documents takes over a second here; keyed, both are a few milliseconds.
  expect(large / small).toBeLessThan(4);
  expect(await StatBucket.countDocuments({ partnerId: 'l7' })).toBe(200);
}, 120_000);
