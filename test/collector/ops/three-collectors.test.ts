// Three collector processes on one database take clicks, signups, invoices and refunds at once
// (each request to any of them, replays included); afterwards the ledger and every counter are
// exact. Counters are folded by whichever process holds the fold lease.
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
const collectors: ChildCollector[] = [];
const dataDirs: string[] = [];
const partners = [1, 2, 3].map((n) => `three${n}${randomUUID().slice(0, 4)}`);

beforeAll(async () => {
  const uri = withDatabase(engineUri(), testDbName(__filename));
  connection = await mongoose.createConnection(uri).asPromise();
  models = createModels(connection);
  for (let n = 0; n < 3; n++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ashop-three-'));
    dataDirs.push(dataDir);
    collectors.push(await ChildCollector.start({ mongodbUri: uri, dataDir, env: { ASHOP_STATS_FOLD_MS: '200' } }));
  }
  await models.Partner.insertMany(
    partners.map((id) => ({ _id: id, email: `${id}@p.example`, name: id, passwordHash: 'x', status: 'active' })),
  );
}, 180_000);

afterAll(async () => {
  for (const collector of collectors) await collector.kill();
  await connection.dropDatabase();
  await connection.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Sends each request to a collector chosen round-robin, 6 at a time; every answer must be 2xx. */
async function spread(requests: Array<{ path: string; body: object; headers: Record<string, string> }>) {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const { path, body, headers } = requests[index]!;
      const res = await collectors[index % 3]!.request('POST', path, { body, headers });
      if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${res.text}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

test('three processes at once: ledger and counters exact', async () => {
  const clicks = Array.from({ length: 600 }, (_, i) => ({
    aid: partners[i % 3]!,
    cid: randomUUID(),
    vid: randomUUID(),
    bid: i % 2 ? 'summer' : undefined,
    url: 'http://localhost:8080/pricing',
  }));
  // Every click sent twice, to different processes: stored and counted once.
  await spread([...clicks, ...clicks].map((body) => ({ path: '/v1/clicks', body, headers: browser })));
  const signups = clicks.slice(0, 60).map((click, i) => ({
    customerId: `cus_${i}_${click.cid.slice(0, 8)}`,
    referral: { v: 1, aid: click.aid, bid: click.bid, cid: click.cid, vid: click.vid, ts: Date.now() },
  }));
  await spread([...signups, ...signups].map((body) => ({ path: '/v1/signups', body, headers: track })));
  const invoices = Array.from({ length: 240 }, (_, i) => ({
    eventId: `inv_${randomUUID()}`,
    customerId: signups[i % signups.length]!.customerId,
    lines: [{ kind: 'plan', amount: 1000 + (i % 5) * 500 }],
  }));
  const refunds = invoices.slice(0, 80).map((invoice) => ({
    eventId: `ref_${randomUUID()}`,
    refundOf: invoice.eventId,
    amount: 400,
    kind: 'refund',
  }));
  await spread([...invoices, ...invoices].map((body) => ({ path: '/v1/revenue', body, headers: track })));
  await spread([...refunds, ...refunds].map((body) => ({ path: '/v1/refunds', body, headers: track })));

  const expected = new Map(partners.map((id) => [id, zeroCounters()]));
  for (const click of await models.Click.find({ counted: true }).lean()) {
    expected.get(click.partnerId)!.clicks += 1;
    if (click.unique) expected.get(click.partnerId)!.uniqueClicks += 1;
  }
  for (const customer of await models.Customer.find({}).lean()) expected.get(customer.partnerId)!.signups += 1;
  const paying = new Set<string>();
  for (const event of await models.RevenueEvent.find({}).lean()) {
    const row = expected.get(event.partnerId!)!;
    const result = event.result as { commission?: number; amount?: number; commissionReversed?: number };
    if (event.kind === 'invoice') {
      row.revenue += event.total;
      row.commission += result.commission ?? 0;
      if (!paying.has(event.customerId!)) row.customers += 1;
      paying.add(event.customerId!);
    } else {
      row.revenue -= result.amount ?? 0;
      row.commission -= result.commissionReversed ?? 0;
    }
  }
  expect(await models.Click.countDocuments({})).toBe(clicks.length);
  expect(await models.LedgerEntry.countDocuments({ kind: 'commission' })).toBe(invoices.length);
  expect(await models.LedgerEntry.countDocuments({ kind: 'reversal' })).toBe(refunds.length);

  const deadline = Date.now() + 120_000;
  while ((await models.StatDelta.countDocuments({})) > 0) {
    if (Date.now() > deadline) {
      const left = await models.StatDelta.find({}, { kind: 1, createdAt: 1, stored: 1 }).limit(5).lean();
      throw new Error(`deltas still pending after 120 s: ${JSON.stringify(left)}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  for (const partnerId of partners) {
    const buckets = (await models.StatBucket.find({ partnerId }).lean()) as unknown as Bucket[];
    const counted = zeroCounters();
    for (const bucket of buckets) for (const day of Object.values(bucket.days)) addCounters(counted, day);
    process.stdout.write(
      `[three-collectors] ${partnerId}: ${JSON.stringify({ counted, facts: expected.get(partnerId) })}\n`,
    );
    expect(counted).toEqual(expected.get(partnerId));
  }
}, 300_000);
