// `stats rebuild` recomputes drifted counters from the facts, leaves pending facts to the folder,
// keeps days outside its period, and gives the same result when run again.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { unpackDays, type Bucket } from '../../../collector/domain/stat-layout';
import { testCollector, testConfig } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, dayStatsOf, serverKey } from '../tracking/fixtures';
import { cliRunner } from './run-cli';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  // No background fold: the test decides when deltas are folded.
  collector = await testCollector(db.connection(), { ASHOP_STATS_FOLD_MS: '3600000' });
});
afterAll(() => collector.close());

const cli = cliRunner(testConfig, db.connection);

const post = (path: string, body: object) => request(collector.app).post(path).set(serverKey).send(body);

test('rebuilds a period with drifted counters from the facts, idempotently, without touching pending facts', async () => {
  const { partnerId } = await createTestPartner(collector, { status: 'active' });
  const at = (day: string) => `${day}T10:00:00.000Z`;
  const clicks = ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-01'].map((day) =>
    clickBody(partnerId, { bid: 'summer', occurredAt: at(day), ip: '192.0.2.7', userAgent: browserUa }),
  );
  for (const click of clicks) await post('/v1/clicks', click).expect(202);
  const customerId = `cus_${randomUUID()}`;
  const click = clicks[2]!;
  await post('/v1/signups', {
    customerId,
    occurredAt: at('2026-03-01'),
    referral: { v: 1, aid: partnerId, bid: 'summer', cid: click.cid, vid: click.vid, ts: Date.parse(at('2026-03-01')) },
  }).expect(201);
  await post('/v1/revenue', {
    eventId: `inv_${randomUUID()}`,
    customerId,
    occurredAt: at('2026-03-01'),
    lines: [{ kind: 'plan', amount: 10000 }],
  }).expect(201);
  const expected = await dayStatsOf(collector, partnerId, '2026-03-01', 'summer');
  expect(expected).toMatchObject({ clicks: 2, signups: 1, customers: 1, revenue: 10000, commission: 2500 });

  // Drift: counters of Feb 28 and Mar 1 damaged (as a crash of the old in-memory queue left them).
  const { StatBucket } = collector.context.models;
  await StatBucket.updateOne(
    { _id: `${partnerId}|2026-03` },
    { $set: { 'days.01.clicks': 999, 'days.01.revenue': 0 } },
  );
  await StatBucket.updateOne({ _id: `${partnerId}|2026-02` }, { $set: { 'days.28.clicks': 0, 'days.27.clicks': 50 } });
  // A fact still pending (its delta not folded yet) must be left to the folder, not counted twice.
  await post('/v1/revenue', {
    eventId: `inv_${randomUUID()}`,
    customerId,
    occurredAt: at('2026-03-01'),
    lines: [{ kind: 'plan', amount: 2000 }],
  }).expect(201);

  const first = await cli('stats', 'rebuild', '--from', '2026-02-28', '--to', '2026-03-31');
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/stats rebuild 2026-02-28\.\.2026-03-31: 3 clicks read/);
  expect(first.out).toMatch(
    /Rebuilt 2026-02-28\.\.2026-03-31 .*3 clicks, 1 signups, 1 invoices, 0 refunds \(1 facts still pending/,
  );
  const march = (await StatBucket.findById(`${partnerId}|2026-03`).lean()) as unknown as Bucket;
  // The command ends by folding what is queued (its money refold), the pending invoice with it: once.
  expect(march.days['01']).toMatchObject({ clicks: 2, revenue: 12000 });
  const february = (await StatBucket.findById(`${partnerId}|2026-02`).lean()) as unknown as Bucket;
  // Feb 28 is in the period (rebuilt), Feb 27 is not (kept as it was, drift and all).
  expect(february.days['28']).toMatchObject({ clicks: 1 });
  expect(february.days['27']).toMatchObject({ clicks: 50 });

  // The pending invoice was folded after the rebuild, once; a second rebuild changes nothing.
  const after = await dayStatsOf(collector, partnerId, '2026-03-01', 'summer');
  expect(after).toMatchObject({ clicks: 2, signups: 1, customers: 1, revenue: 12000, commission: 3000 });
  expect((await cli('stats', 'rebuild', '--from', '2026-02-28', '--to', '2026-03-31')).code).toBe(0);
  expect(await dayStatsOf(collector, partnerId, '2026-03-01', 'summer')).toEqual(after);
  const program = await StatBucket.findById('_program|2026-03').lean();
  expect(program).toMatchObject({ partners: { [partnerId]: { '01': { clicks: 2, revenue: 12000 } } } });
  // The days a report page reads are the buckets' own, rebuilt and folded alike.
  const { StatDay } = collector.context.models;
  for (const month of ['2026-02', '2026-03']) {
    const bucket = await StatBucket.findById(`${partnerId}|${month}`).lean();
    expect(unpackDays((await StatDay.findById(`${partnerId}|${month}`).lean())!.packedDays)).toEqual(bucket?.days);
  }
});

test('bad dates are usage errors', async () => {
  expect((await cli('stats', 'rebuild', '--from', '2026-02-30')).code).toBe(2);
  expect((await cli('stats', 'rebuild', '--from', '2026-03-02', '--to', '2026-03-01')).code).toBe(2);
});
