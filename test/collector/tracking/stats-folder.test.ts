// The fold from facts to counters: one delta per fact (or per click batch), folded once, whatever
// the replays, crashes mid-fold and concurrent folders (services/stats-folder.ts).
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Collector } from '../../../collector/app';
import { bucketId, type Bucket } from '../../../collector/domain/stat-layout';
import { createModels, syncIndexes, type Models } from '../../../collector/models';
import { StatsFolder, type StatsFolderOptions } from '../../../collector/services/stats-folder';
import { migrateDailyStats } from '../../../collector/services/stats-migration';
import { testCollector } from '../../support/collector';
import { createTestPartner } from '../../support/partners';
import { useTestDatabase } from '../../support/db';
import { browserUa, clickBody, serverKey, statsOf } from './fixtures';
import request from 'supertest';

const db = useTestDatabase(__filename);
const silent = pino({ level: 'silent' });
let models: Models;
let collector: Collector;

beforeAll(async () => {
  models = createModels(db.connection());
  await syncIndexes(models);
  // Its own background fold stays out of the way: the tests fold explicitly.
  collector = await testCollector(db.connection(), { ASHOP_STATS_FOLD_MS: '3600000' });
});
afterAll(() => collector.close());

const folder = (options: Partial<StatsFolderOptions> = {}) =>
  new StatsFolder(models, silent, { foldMs: 3_600_000, graceMs: 60_000, ...options });

/** A delta as the daily_stats migration writes it: no fact to read, so the tests control the counters. */
const migrated = (id: string, partnerId: string, day: string, clicks: number) => ({
  _id: `migrated:${id}`,
  kind: 'migrated',
  ref: id,
  createdAt: new Date(),
  contribution: { partnerId, day, banner: null, counters: { clicks, uniqueClicks: clicks } },
});

const clicksIn = async (partnerId: string, day: string) => {
  const bucket = (await models.StatBucket.findById(bucketId(partnerId, day)).lean()) as Bucket | null;
  return bucket?.days[day.slice(8, 10)]?.clicks ?? 0;
};

test('concurrent clicks are coalesced: one delta per stored batch, not one write per click', async () => {
  const { partnerId } = await createTestPartner(collector);
  const bodies = Array.from({ length: 200 }, () => clickBody(partnerId));
  await Promise.all(
    bodies.map((body) =>
      request(collector.app)
        .post('/v1/clicks')
        .set('Origin', 'http://localhost:8080')
        .set('User-Agent', browserUa)
        .send(body)
        .expect(202),
    ),
  );
  const batches = await models.StatDelta.countDocuments({ kind: 'clicks' });
  expect(batches).toBeGreaterThanOrEqual(1);
  // Group commit: far fewer deltas than clicks (each request would otherwise have written its own).
  expect(batches).toBeLessThanOrEqual(20);
  const seqBefore = await folder().currentSeq();
  expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 200 });
  // One fold batch took them all: the partner's bucket was written once.
  expect(await folder().currentSeq()).toBe(seqBefore + 1);
});

test('recording a fact again (a replay, a retry) adds no second delta and counts nothing twice', async () => {
  await models.StatDelta.insertMany([migrated('r1', 'pr', '2026-05-01', 3)]);
  await expect(models.StatDelta.insertMany([migrated('r1', 'pr', '2026-05-01', 3)])).rejects.toMatchObject({
    code: 11000,
  });
  await folder().flush();
  expect(await clicksIn('pr', '2026-05-01')).toBe(3);
  // The same delta inserted again after its fold (a late replay) is dropped, not counted.
  await models.StatDelta.insertMany([migrated('r1', 'pr', '2026-05-01', 3)]);
  await folder().flush();
  expect(await clicksIn('pr', '2026-05-01')).toBe(3);
  expect(await models.StatDelta.countDocuments({ _id: 'migrated:r1' })).toBe(0);
});

test('a crash mid-fold is finished by the next folder: every bucket gets the batch exactly once', async () => {
  await models.StatDelta.insertMany([
    migrated('c1', 'pc', '2026-05-01', 1),
    migrated('c2', 'pc', '2026-06-01', 10),
    migrated('c3', 'pc2', '2026-06-01', 100),
  ]);
  let writes = 0;
  const crashing = folder({
    leaseMs: 300,
    afterBucketWrite: async () => {
      writes += 1;
      if (writes === 2) throw new Error('killed mid-fold');
    },
  });
  await expect(crashing.flush()).rejects.toThrow('killed mid-fold');
  // Two buckets were written, the rest of the batch was not: the batch is still open.
  const seq = await folder().currentSeq();
  expect(await models.StatFold.findById(`batch:${seq}`).lean()).toMatchObject({ done: false });
  // The crashed holder's lease runs out; another folder takes over and finishes the batch.
  await new Promise((done) => setTimeout(done, 350));
  await folder().flush();
  expect(await models.StatFold.findById(`batch:${seq}`).lean()).toMatchObject({ done: true });
  expect([
    await clicksIn('pc', '2026-05-01'),
    await clicksIn('pc', '2026-06-01'),
    await clicksIn('pc2', '2026-06-01'),
  ]).toEqual([1, 10, 100]);
  expect(await models.StatDelta.countDocuments({ _id: { $in: ['migrated:c1', 'migrated:c2', 'migrated:c3'] } })).toBe(
    0,
  );
});

test('concurrent folders: one holds the lease at a time and every delta counts once', async () => {
  const deltas = Array.from({ length: 60 }, (_, i) => migrated(`k${i}`, `pk${i % 3}`, '2026-07-01', 1));
  const folders = [folder(), folder(), folder()];
  // Deltas keep arriving while three folders race for them.
  const arriving = (async () => {
    for (let i = 0; i < deltas.length; i += 10) {
      await models.StatDelta.insertMany(deltas.slice(i, i + 10));
      await Promise.all(folders.map((each) => each.foldAvailable()));
    }
  })();
  await arriving;
  await Promise.all(folders.map((each) => each.flush()));
  expect([
    await clicksIn('pk0', '2026-07-01'),
    await clicksIn('pk1', '2026-07-01'),
    await clicksIn('pk2', '2026-07-01'),
  ]).toEqual([20, 20, 20]);
  const program = await models.StatBucket.findById('_program|2026-07').lean();
  expect(program).toMatchObject({ partners: { pk0: { '01': { clicks: 20 } }, pk1: { '01': { clicks: 20 } } } });
});

test('invoices of one customer folded in one batch: the first recorded is the one that makes it paying', async () => {
  const { partnerId } = await createTestPartner(collector);
  const customerId = `cus_${randomUUID()}`;
  await models.Customer.create({ _id: customerId, partnerId, clickId: randomUUID(), boundAt: new Date() });
  const days = ['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'];
  for (const day of days)
    await request(collector.app)
      .post('/v1/revenue')
      .set(serverKey)
      .send({
        eventId: `inv_${randomUUID()}`,
        customerId,
        occurredAt: `${day}T12:00:00Z`,
        lines: [{ kind: 'plan', amount: 1000 }],
      })
      .expect(201);
  const seqBefore = await folder().currentSeq();
  await folder().flush();
  // One batch read the six invoices a few at a time; the first invoice claim still went in delta order.
  expect(await folder().currentSeq()).toBe(seqBefore + 1);
  const bucket = (await models.StatBucket.findById(bucketId(partnerId, days[0]!)).lean()) as Bucket | null;
  expect(days.map((day) => bucket?.days[day.slice(8, 10)]?.customers ?? 0)).toEqual([1, 0, 0, 0, 0, 0]);
});

test('a delta whose fact was never stored waits for it, then is dropped after the grace time', async () => {
  const waiting = folder({ graceMs: 400 });
  await waiting.record('invoice', 'never-stored');
  await waiting.flush();
  expect(await models.StatDelta.countDocuments({ _id: 'invoice:never-stored' })).toBe(1);
  await new Promise((done) => setTimeout(done, 450));
  await waiting.flush();
  expect(await models.StatDelta.countDocuments({ _id: 'invoice:never-stored' })).toBe(0);
  expect(await models.StatApplied.countDocuments({ _id: 'invoice:never-stored' })).toBe(0);
});

test('the daily_stats migration moves the old rows once, even with several processes starting at once', async () => {
  const legacy = db.connection().db!.collection<Record<string, unknown>>('daily_stats');
  await legacy.insertMany([
    { _id: 'pm|2026-03-01|', partnerId: 'pm', day: '2026-03-01', bid: '', clicks: 4, uniqueClicks: 3, revenue: 900 },
    { _id: 'pm|2026-03-01|summer', partnerId: 'pm', day: '2026-03-01', bid: 'summer', clicks: 2, uniqueClicks: 2 },
    { _id: 'pm|2026-04-30|', partnerId: 'pm', day: '2026-04-30', bid: '', clicks: 1, uniqueClicks: 1 },
  ] as never[]);
  const moved = await Promise.all([1, 2, 3].map((n) => migrateDailyStats(models, silent, `process-${n}`)));
  expect(moved.sort()).toEqual([0, 0, 3]);
  expect(await migrateDailyStats(models, silent, 'process-4')).toBe(0);
  expect(await models.StatFold.findById('migration:daily_stats').lean()).toMatchObject({ done: true, rows: 3 });
  await folder().flush();
  const march = (await models.StatBucket.findById('pm|2026-03').lean()) as Bucket | null;
  expect(march?.days['01']).toEqual({ clicks: 6, uniqueClicks: 5, revenue: 900 });
  expect(march?.dims.banner.ksummer).toEqual({ '01': { clicks: 2, uniqueClicks: 2 } });
  expect(await clicksIn('pm', '2026-04-30')).toBe(1);
  const collections = await db.connection().db!.listCollections({ name: 'daily_stats' }).toArray();
  expect(collections).toEqual([]);
});
