// Three collector processes on one database take clicks, signups, invoices and refunds at once:
// whole partner flows spread over them (a click on one, the signup on another, each invoice and
// refund sent to two at the same moment), then every click, signup, invoice and refund sent twice
// to different processes. Afterwards the ledger is exact (one commission per acknowledged invoice
// with the right amount, one full reversal per acknowledged refund, one binding per attributed
// signup, every acknowledged click stored) and every partner's counters, folded by whichever
// process holds the fold lease, equal what the stored facts say.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { ledgerDiscrepancies, runPartnerFlows } from '../../../bench/lib/partner-flows';
import { openConnection } from '../../../collector/db/connection';
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
let dataDir: string;
const flowPartners = ['730001', '730002', '730003', '730004'];
const partners = [1, 2, 3].map((n) => `three${n}${randomUUID().slice(0, 4)}`);

beforeAll(async () => {
  const dbName = testDbName(__filename);
  connection = await openConnection(engineUri(), dbName);
  models = createModels(connection);
  await models.Partner.insertMany(
    [...flowPartners, ...partners].map((id) => ({
      _id: id,
      email: `${id}@partners.example`,
      name: `Partner ${id}`,
      passwordHash: 'no-login',
      payoutEmail: `${id}@paypal.example`,
      status: 'active',
    })),
  );
  dataDir = mkdtempSync(join(tmpdir(), 'ashop-three-'));
  // Request logs at warn: three processes at info would mostly measure the pipes.
  const env = { LOG_LEVEL: 'warn', ASHOP_STATS_FOLD_MS: '200' };
  const uri = withDatabase(engineUri(), dbName);
  for (let n = 0; n < 3; n++) collectors.push(await ChildCollector.start({ mongodbUri: uri, dataDir, env }));
}, 180_000);

afterAll(async () => {
  for (const collector of collectors) await collector.kill();
  await connection.dropDatabase();
  await connection.close();
  rmSync(dataDir, { recursive: true, force: true });
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

test('whole partner flows over three processes keep the ledger exact', async () => {
  const result = await runPartnerFlows({
    targets: collectors,
    serverKey: testServerKey,
    partners: flowPartners,
    flows: 90,
    concurrency: 9,
    refundShare: 0.4,
  });
  process.stdout.write(
    `[three-processes] flows: ${result.requests} requests in ${Math.round(result.durationMs)} ms, statuses ${JSON.stringify(result.statuses)}; ${result.invoices.size} invoices, ${result.refunds.size} refunds, ${result.signups.size} signups\n`,
  );
  expect(Object.keys(result.statuses).filter((status) => !['200', '201', '202'].includes(status))).toEqual([]);
  expect(result.invoices.size).toBe(90);
  expect(result.refunds.size).toBeGreaterThan(10);
  expect(result.wrongAnswers).toEqual([]);
  expect(await ledgerDiscrepancies(connection.db!, result)).toEqual([]);
}, 180_000);

test('every request twice to different processes: stored once, and every counter equals the facts', async () => {
  const clicks = Array.from({ length: 600 }, (_, i) => ({
    aid: partners[i % 3]!,
    cid: randomUUID(),
    vid: randomUUID(),
    bid: i % 2 ? 'summer' : undefined,
    url: 'http://localhost:8080/pricing',
  }));
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
  const mine = { partnerId: { $in: partners } };
  expect(await models.Click.countDocuments(mine)).toBe(clicks.length);
  expect(await models.LedgerEntry.countDocuments({ ...mine, kind: 'commission' })).toBe(invoices.length);
  expect(await models.LedgerEntry.countDocuments({ ...mine, kind: 'reversal' })).toBe(refunds.length);

  // Counters of every partner, the flows' ones too, against all stored facts.
  const all = [...flowPartners, ...partners];
  const expected = new Map(all.map((id) => [id, zeroCounters()]));
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
  const deadline = Date.now() + 120_000;
  while ((await models.StatDelta.countDocuments({})) > 0) {
    if (Date.now() > deadline) {
      const left = await models.StatDelta.find({}, { kind: 1, createdAt: 1, stored: 1 }).limit(5).lean();
      throw new Error(`deltas still pending after 120 s: ${JSON.stringify(left)}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  for (const partnerId of all) {
    const buckets = (await models.StatBucket.find({ partnerId }).lean()) as unknown as Bucket[];
    const counted = zeroCounters();
    for (const bucket of buckets) for (const day of Object.values(bucket.days)) addCounters(counted, day);
    process.stdout.write(
      `[three-processes] ${partnerId}: ${JSON.stringify({ counted, facts: expected.get(partnerId) })}\n`,
    );
    expect(counted).toEqual(expected.get(partnerId));
  }
}, 300_000);
