// kill -9 of a collector process in the middle of clicks, invoices and refunds; after a restart
// (and the billing system replaying everything it sent) every counter equals what the stored facts
// say, and nothing acknowledged is lost.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { addCounters, zeroCounters, type Bucket } from '../../../collector/domain/stat-layout';
import { createModels, type Models } from '../../../collector/models';
import { ChildCollector, withDatabase } from '../../support/child-collector';
import { testServerKey } from '../../support/collector';
import { engineUri, testDbName } from '../../support/db';

const track = { Authorization: `Bearer ${testServerKey}` };
const browser = {
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  Origin: 'http://localhost:8080',
};

let connection: Connection;
let models: Models;
let collector: ChildCollector;
let dataDir: string;
const partnerId = `kill${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const uri = withDatabase(engineUri(), testDbName(__filename));
  connection = await mongoose.createConnection(uri).asPromise();
  models = createModels(connection);
  dataDir = mkdtempSync(join(tmpdir(), 'ashop-kill-'));
  // Short grace: a batch whose process died is settled from its stored facts within seconds.
  collector = await ChildCollector.start({
    mongodbUri: uri,
    dataDir,
    env: { ASHOP_STATS_FOLD_MS: '200', ASHOP_STATS_GRACE_MS: '3000' },
  });
  await models.Partner.create({
    _id: partnerId,
    email: `${partnerId}@partners.example`,
    name: 'Kill test',
    passwordHash: 'x',
    status: 'active',
  });
}, 120_000);

afterAll(async () => {
  await collector.kill();
  await connection.dropDatabase();
  await connection.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sends `bodies` from 8 workers until `stopAfterMs`, then kills the collector; returns which were acknowledged. */
async function sendThenKill(path: string, bodies: object[], headers: Record<string, string>, stopAfterMs: number) {
  const acknowledged = new Set<number>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && next < bodies.length) {
      const index = next++;
      try {
        const res = await collector.request('POST', path, { body: bodies[index], headers, timeoutMs: 5000 });
        if (res.status >= 200 && res.status < 300) acknowledged.add(index);
      } catch {
        // The process is gone: not acknowledged.
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  await new Promise((done) => setTimeout(done, stopAfterMs));
  killed = true;
  await collector.kill();
  await Promise.all(workers);
  await collector.restart();
  return acknowledged;
}

/** What the stored facts say about the partner. */
async function facts() {
  const expected = zeroCounters();
  expected.clicks = await models.Click.countDocuments({ partnerId, counted: true });
  expected.uniqueClicks = await models.Click.countDocuments({ partnerId, counted: true, unique: true });
  const customers = new Set<string>();
  for (const event of await models.RevenueEvent.find({ partnerId }).lean()) {
    const result = event.result as { commission?: number; amount?: number; commissionReversed?: number };
    if (event.kind === 'invoice') {
      expected.revenue += event.total;
      expected.commission += result.commission ?? 0;
      customers.add(event.customerId!);
    } else {
      expected.revenue -= result.amount ?? 0;
      expected.commission -= result.commissionReversed ?? 0;
    }
  }
  expected.customers = customers.size;
  return expected;
}

/** The partner's counters (all buckets) once the folder has settled every delta. */
async function countersSettled() {
  // Generous: on a busy machine folding hundreds of invoices (several reads each) takes a while.
  const deadline = Date.now() + 150_000;
  for (;;) {
    const pending = await models.StatDelta.countDocuments({});
    const buckets = (await models.StatBucket.find({ partnerId }).lean()) as unknown as Bucket[];
    const counters = zeroCounters();
    for (const bucket of buckets) for (const day of Object.values(bucket.days)) addCounters(counters, day);
    if (pending === 0) return counters;
    if (Date.now() > deadline) throw new Error(`${pending} deltas still pending after 150 s`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

const report = (what: string, numbers: Record<string, unknown>) =>
  process.stdout.write(`[stats-kill] ${what}: ${JSON.stringify(numbers)}\n`);

test('kill -9 during clicks: every acknowledged click stored, counters = stored clicks', async () => {
  const bodies = Array.from({ length: 4000 }, (_, i) => ({
    aid: partnerId,
    cid: randomUUID(),
    vid: i % 3 === 0 ? randomUUID() : undefined,
    bid: i % 2 ? 'summer' : undefined,
    url: 'http://localhost:8080/pricing',
  }));
  const acknowledged = await sendThenKill('/v1/clicks', bodies, browser, 3000);
  const stored = new Set((await models.Click.find({ partnerId }, { _id: 1 }).lean()).map((click) => click._id));
  const lost = [...acknowledged].filter((index) => !stored.has((bodies[index] as { cid: string }).cid));
  const counters = await countersSettled();
  const expected = await facts();
  report('clicks', {
    sent: bodies.length,
    acknowledged: acknowledged.size,
    stored: stored.size,
    counted: counters.clicks,
  });
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(acknowledged.size).toBeLessThan(bodies.length);
  expect(lost).toEqual([]);
  expect(counters).toEqual(expected);
}, 120_000);

const customerIds = Array.from({ length: 40 }, () => `cus_${randomUUID()}`);
const invoices = Array.from({ length: 500 }, (_, i) => ({
  eventId: `inv_${randomUUID()}`,
  customerId: customerIds[i % customerIds.length]!,
  lines: [{ kind: 'plan', amount: 1000 + (i % 7) * 100 }],
}));

test('kill -9 during invoices, then every invoice replayed: ledger and counters exact', async () => {
  await models.Customer.insertMany(
    customerIds.map((customerId) => ({ _id: customerId, partnerId, clickId: randomUUID(), boundAt: new Date() })),
  );
  const acknowledged = await sendThenKill('/v1/revenue', invoices, track, 2000);
  const storedBefore = await models.RevenueEvent.countDocuments({ partnerId });
  // The billing system retries everything it sent.
  for (let i = 0; i < invoices.length; i += 8)
    await Promise.all(
      invoices.slice(i, i + 8).map(async (body) => {
        const res = await collector.request('POST', '/v1/revenue', { body, headers: track });
        expect([200, 201]).toContain(res.status);
      }),
    );
  const counters = await countersSettled();
  const expected = await facts();
  report('invoices', {
    sent: invoices.length,
    acknowledgedBeforeKill: acknowledged.size,
    storedBeforeReplay: storedBefore,
    revenueCounted: counters.revenue,
    revenueInFacts: expected.revenue,
    commissionCounted: counters.commission,
    commissionInFacts: expected.commission,
  });
  expect(await models.LedgerEntry.countDocuments({ partnerId, kind: 'commission' })).toBe(invoices.length);
  expect(counters).toEqual(expected);
}, 400_000);

test('kill -9 during refunds, then every refund replayed: counters exact', async () => {
  const refunds = invoices.slice(0, 200).map((invoice) => ({
    eventId: `ref_${randomUUID()}`,
    refundOf: invoice.eventId,
    amount: 300,
    kind: 'refund',
  }));
  const acknowledged = await sendThenKill('/v1/refunds', refunds, track, 3000);
  for (let i = 0; i < refunds.length; i += 8)
    await Promise.all(
      refunds.slice(i, i + 8).map(async (body) => {
        const res = await collector.request('POST', '/v1/refunds', { body, headers: track });
        expect([200, 201]).toContain(res.status);
      }),
    );
  const counters = await countersSettled();
  const expected = await facts();
  report('refunds', {
    sent: refunds.length,
    acknowledgedBeforeKill: acknowledged.size,
    revenueCounted: counters.revenue,
    revenueInFacts: expected.revenue,
    commissionCounted: counters.commission,
    commissionInFacts: expected.commission,
  });
  expect(counters).toEqual(expected);
}, 400_000);
