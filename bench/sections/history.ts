// A program with history: 1,000 partners, one year of clicks (10k, 100k, then 1M over 365 days),
// commission ledger entries (half as many as clicks: 500k at 1M) and bound customers (50k at 1M).
// At each size: p50/p95 of every hot read request, the documents one request reads (command
// monitoring in the collector process, per collection), and the ratio to the first size.
// Target: every ratio ≤ 1.5, a hard fail above 2 — cost must not grow with history.
//
// Data is written as the collector writes it: raw clicks (bench/lib/clicks.ts storedClick), ledger
// entries built by the ledger writer's own builder, and the counter read models folded from those
// facts by the folder's own functions (domain/stat-layout.ts), a batch per chunk, written in bulk.
import { randomInt, randomUUID } from 'node:crypto';
import { signToken } from '../../collector/auth/tokens';
import { utcDay } from '../../collector/domain/days';
import {
  clickContribution,
  foldIntoBucket,
  foldIntoProgram,
  groupContributions,
  invoiceContribution,
  landingPage,
  type Bucket,
  type Contribution,
  type ProgramBucket,
} from '../../collector/domain/stat-layout';
import { commissionEntry } from '../../collector/services/ledger-writer';
import { BenchChild } from '../lib/child';
import { partnerIds, randomClick, storedClick } from '../lib/clicks';
import type { ReadTally } from '../lib/read-counter';
import { openBenchDb, seedPartners, type BenchDb } from '../lib/seed';
import type { BenchOptions, SectionResult } from '../lib/section';
import { percentile } from '../lib/stats';
import { ms, num, type Row, type Verdict } from '../lib/table';

const section = 'history';
const partnerCount = 1000;
const historyDays = 365;
const holdDays = 120;

interface Timing {
  p50: number;
  p95: number;
}

interface Measured {
  name: string;
  timing: Timing;
  reads: ReadTally;
}

interface Step {
  clicks: number;
  ledger: number;
  customers: number;
  requests: Measured[];
}

interface ReadModels {
  buckets: Map<string, Bucket>;
  programs: Map<string, ProgramBucket>;
  seq: number;
}

export async function benchHistory(options: BenchOptions): Promise<SectionResult> {
  const sizes = options.quick ? [2_000, 20_000] : [10_000, 100_000, 1_000_000];
  const samples = options.quick ? 3 : 7;
  const partners = partnerIds(partnerCount);
  const today = utcDay(new Date());
  const dayList = Array.from({ length: historyDays }, (_, index) =>
    utcDay(new Date(Date.now() - index * 86_400_000)),
  ).reverse();
  const secret = options.collectorEnv.ASHOP_JWT_SECRET!;
  const adminKey = `Bearer ${options.collectorEnv.ASHOP_ADMIN_KEY!}`;
  const from30 = dayList.at(-30)!;

  const dbName = `${options.dbPrefix}_history`;
  const db = await openBenchDb(options.mongodbUri, dbName);
  let collector: BenchChild | undefined;
  const steps: Step[] = [];
  try {
    // Folding stays with this benchmark's loader: the collector under test only reads.
    collector = await BenchChild.start('serve-collector.ts', {
      ...options.collectorEnv,
      BENCH_DB: dbName,
      ASHOP_STATS_FOLD_MS: '3600000',
    });
    await seedPartners(db.models, partners);
    const models: ReadModels = { buckets: new Map(), programs: new Map(), seq: 0 };
    let loaded = 0;
    for (const size of sizes) {
      const started = Date.now();
      await loadHistory(db, models, { from: loaded, to: size, partners, dayList });
      loaded = size;
      options.log(
        `  ${num(size)} clicks, ${num(size / 2)} ledger entries, ${num(size / 20)} customers loaded (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      const probe = partners[0]!;
      const asPartner = `Bearer ${signToken(secret, probe, 'partner')}`;
      const requests: Array<[string, string, string]> = [
        ['GET /v1/me', '/v1/me', asPartner],
        ['GET /v1/me/stats (30 days)', `/v1/me/stats?from=${from30}&to=${today}`, asPartner],
        ['GET /v1/me/commissions (page 1 of 50)', '/v1/me/commissions?limit=50', asPartner],
        ['GET /v1/me/payouts', '/v1/me/payouts', asPartner],
        ['GET /v1/admin/partners (page of 50)', '/v1/admin/partners?limit=50', adminKey],
        ['GET /v1/admin/partners/:id', `/v1/admin/partners/${probe}`, adminKey],
        ['GET /v1/admin/reports/partners (30 days)', `/v1/admin/reports/partners?from=${from30}&to=${today}`, adminKey],
      ];
      const measured: Measured[] = [];
      for (const [name, path, authorization] of requests) {
        const url = `${collector.url}${path}`;
        const reads = await readsOf(collector, () => get(url, authorization));
        const timing = await timed(samples, () => get(url, authorization));
        measured.push({ name, timing, reads });
        options.log(`    ${name}: p50 ${timing.p50.toFixed(1)} ms, ${num(reads.documents)} documents read`);
      }
      steps.push({ clicks: size, ledger: size / 2, customers: size / 20, requests: measured });
    }
  } finally {
    await collector?.stop(10_000);
    await db.close();
  }
  return { rows: rowsOf(steps), data: { partners: partnerCount, days: historyDays, samples, steps } };
}

function rowsOf(steps: Step[]): Row[] {
  const first = steps[0]!;
  const rows: Row[] = [];
  for (const [index, { name }] of first.requests.entries()) {
    for (const step of steps) {
      const { timing, reads } = step.requests[index]!;
      const base = first.requests[index]!.timing;
      const ratio = timing.p50 / base.p50;
      const verdict: Verdict = step === first ? 'info' : ratio <= 1.5 ? 'pass' : ratio <= 2 ? 'info' : 'FAIL';
      rows.push({
        section,
        metric: `${name}, ${num(step.clicks)} clicks / ${num(step.ledger)} ledger`,
        target: step === first ? '' : 'p50 ≤ ×1.5 (fail > ×2)',
        measured: `${ms(timing.p50)} / ${ms(timing.p95)}; ${describeReads(reads)}`,
        baseline: step === first ? '' : `${ms(base.p50)} at ${num(first.clicks)}`,
        ratio: step === first ? '' : `×${ratio.toFixed(2)}`,
        verdict,
      });
    }
  }
  return rows;
}

function describeReads(tally: ReadTally): string {
  const parts = Object.entries(tally.collections)
    .filter(([, reads]) => reads.documents > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, reads]) => `${name} ${num(reads.documents)}`);
  return `${num(tally.documents)} docs (${parts.join(', ') || 'none'})`;
}

async function get(url: string, authorization: string): Promise<void> {
  const response = await fetch(url, { headers: { Authorization: authorization } });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${new URL(url).pathname} answered ${response.status}: ${body.slice(0, 200)}`);
}

async function readsOf(collector: BenchChild, request: () => Promise<void>): Promise<ReadTally> {
  await collector.request('reads-reset');
  await request();
  return (await collector.request<{ tally: ReadTally }>('reads')).tally;
}

/** Sequential requests: the latency of the request itself, not of a queue. */
async function timed(count: number, request: () => Promise<void>): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await request();
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/**
 * Clicks number `from` to `to` (random partners, days and banners over the year), with a ledger
 * entry for every second click and a bound customer for every twentieth; the first partner gets a
 * steady share of each, so its own history grows with the program's.
 */
async function loadHistory(
  db: BenchDb,
  models: ReadModels,
  plan: { from: number; to: number; partners: string[]; dayList: string[] },
): Promise<void> {
  const chunk = 5000;
  const native = db.connection.db!;
  let contributions: Contribution[] = [];
  for (let start = plan.from; start < plan.to; start += chunk) {
    const end = Math.min(plan.to, start + chunk);
    const clicks: object[] = [];
    const ledger: object[] = [];
    const customers: object[] = [];
    for (let n = start; n < end; n++) {
      const click = randomClick(plan.partners);
      const partnerId = n % 50 === 0 ? plan.partners[0]! : click.aid;
      const day = plan.dayList[randomInt(plan.dayList.length)]!;
      const occurredAt = new Date(`${day}T${String(randomInt(24)).padStart(2, '0')}:00:00Z`);
      const stored = storedClick(click, { partnerId, occurredAt });
      clicks.push(stored);
      const where = { bid: click.bid, page: landingPage(click.url) };
      contributions.push(clickContribution({ cid: click.cid, partnerId, day, unique: true, ...where }));
      if (n % 20 === 0) {
        customers.push({ _id: `cus_${click.cid}`, partnerId, clickId: click.cid, bid: click.bid, boundAt: occurredAt });
      }
      if (n % 2 === 0) {
        const eventId = `inv_${randomUUID()}`;
        const total = 2900 + randomInt(10) * 1000;
        const commission = Math.floor(total / 4);
        ledger.push({
          ...commissionEntry(
            { _id: eventId, partnerId, customerId: `cus_${click.cid}`, currency: 'USD', occurredAt, commission },
            holdDays,
          ),
          createdAt: occurredAt,
        });
        contributions.push(invoiceContribution({ partnerId, occurredAt, total, commission }, where, false));
      }
    }
    await native.collection('clicks').insertMany(clicks as never[], { ordered: false });
    await native.collection('ledger').insertMany(ledger as never[], { ordered: false });
    if (customers.length > 0) await native.collection('customers').insertMany(customers as never[], { ordered: false });
    // Folded in batches of about 50k facts, as a folder catching up would.
    if (contributions.length >= 50_000 || end === plan.to) {
      foldInMemory(models, contributions);
      contributions = [];
    }
  }
  const docs = [...models.buckets.values(), ...models.programs.values()];
  // Replaced whole: a drop, as FerretDB cannot delete that many documents in one command.
  await db.models.StatBucket.collection.drop().catch(() => {});
  for (let i = 0; i < docs.length; i += 500)
    await native.collection('stat_buckets').insertMany(docs.slice(i, i + 500) as never[]);
}

/** One fold batch applied to read models kept in memory (what the folder does with stored ones). */
function foldInMemory(models: ReadModels, contributions: Contribution[]): void {
  models.seq += 1;
  const { buckets, programs } = groupContributions(contributions);
  for (const [id, bucket] of buckets)
    models.buckets.set(
      id,
      foldIntoBucket(models.buckets.get(id) ?? null, id, bucket.partnerId, bucket.month, bucket.inc, models.seq),
    );
  for (const [id, program] of programs)
    models.programs.set(
      id,
      foldIntoProgram(models.programs.get(id) ?? null, id, program.month, program.partners, models.seq),
    );
}
