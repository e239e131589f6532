// Reports as data grows: 1k partners, clicks in steps (10k, 100k, 1M), p50/p95 of the partner's
// 30-day stats and of the admin partners report, and the documents each request reads (command
// monitoring in the collector process): the engine-independent measure of how cost grows.
import { randomInt } from 'node:crypto';
import { signToken } from '../../collector/auth/tokens';
import { utcDay } from '../../collector/domain/days';
import {
  clickContribution,
  foldIntoBucket,
  foldIntoProgram,
  groupContributions,
  type Bucket,
  type Contribution,
  type ProgramBucket,
} from '../../collector/domain/stat-layout';
import { BenchChild } from '../lib/child';
import { banners, partnerIds, randomClick, storedClick } from '../lib/clicks';
import type { ReadTally } from '../lib/read-counter';
import { openBenchDb, seedPartners, type BenchDb } from '../lib/seed';
import { type BenchOptions, type SectionResult } from '../lib/section';
import { percentile } from '../lib/stats';
import { ms, num, verdict, type Row } from '../lib/table';

const section = 'reports';
const days = 30;
const partnerCount = 1000;
/** Partners with a click on every day and banner at every size: their stats read the same documents. */
const probes = 10;

interface Step {
  clicks: number;
  stats: Timing;
  admin: Timing;
  statsReads: ReadTally;
  adminReads: ReadTally;
}

interface Timing {
  samples: number;
  p50: number;
  p95: number;
}

export async function benchReports(options: BenchOptions): Promise<SectionResult> {
  const sizes = options.quick ? [5000, 10_000] : [10_000, 100_000, 1_000_000];
  // Raw clicks are written up to this many; beyond it only their counters (the
  // reports must not read raw clicks at all, which the read counts show with any number of them).
  const rawClickCap = options.quick ? 10_000 : 100_000;
  const statsRequests = options.quick ? 8 : 15;
  const adminRequests = options.quick ? 3 : 5;
  const partners = partnerIds(partnerCount);
  const dayList = Array.from({ length: days }, (_, index) =>
    utcDay(new Date(Date.now() - index * 86_400_000)),
  ).reverse();
  const range = { from: dayList[0]!, to: dayList.at(-1)! };
  const secret = options.collectorEnv.ASHOP_JWT_SECRET!;
  const adminKey = options.collectorEnv.ASHOP_ADMIN_KEY!;

  const dbName = `${options.dbPrefix}_reports`;
  const db = await openBenchDb(options.mongodbUri, dbName);
  let collector: BenchChild | undefined;
  const steps: Step[] = [];
  try {
    collector = await BenchChild.start('serve-collector.ts', { ...options.collectorEnv, BENCH_DB: dbName });
    await seedPartners(db.models, partners);
    let loaded = 0;
    const counters: LoadPlan['counters'] = { buckets: new Map(), programs: new Map(), seq: 0 };
    for (const size of sizes) {
      const started = Date.now();
      await loadClicks(db, { from: loaded, to: size, rawClickCap, partners, dayList, counters, log: options.log });
      loaded = size;
      options.log(`  ${num(size)} clicks loaded (${((Date.now() - started) / 1000).toFixed(1)} s)`);

      const statsUrl = `${collector!.url}/v1/me/stats?from=${range.from}&to=${range.to}`;
      const partnerAuth = (partnerId: string) => `Bearer ${signToken(secret, partnerId, 'partner')}`;
      const statsReads = await readsOf(collector, () => get(statsUrl, partnerAuth(partners[0]!)));
      const stats = await timed(statsRequests, (i) => get(statsUrl, partnerAuth(partners[i % probes]!)));
      const adminUrl = `${collector.url}/v1/admin/reports/partners?from=${range.from}&to=${range.to}`;
      const adminReads = await readsOf(collector, () => get(adminUrl, `Bearer ${adminKey}`));
      const admin = await timed(adminRequests, () => get(adminUrl, `Bearer ${adminKey}`));
      options.log(
        `  ${num(size)}: stats p50 ${stats.p50.toFixed(1)} ms, ${statsReads.documents} docs; admin p50 ${admin.p50.toFixed(1)} ms, ${adminReads.documents} docs`,
      );
      steps.push({ clicks: size, stats, admin, statsReads, adminReads });
    }
  } finally {
    await collector?.stop(10_000);
    await db.close();
  }
  return { rows: rowsOf(steps), data: { partners: partnerCount, days, probes, rawClickCap, steps } };
}

function rowsOf(steps: Step[]): Row[] {
  const first = steps[0]!;
  const rows: Row[] = [];
  const readsClicks = (tally: ReadTally) => (tally.collections.clicks?.commands ?? 0) > 0;
  const adminBound = partnerCount * (days * banners.length + 1);
  for (const step of steps) {
    const size = `${num(step.clicks)} clicks`;
    rows.push(
      {
        section,
        metric: `/v1/me/stats 30 days p50 / p95, ${size}`,
        target: '',
        measured: `${ms(step.stats.p50)} / ${ms(step.stats.p95)}`,
        baseline: step === first ? '' : `${ms(first.stats.p50)} at ${num(first.clicks)}`,
        ratio: step === first ? '' : `×${(step.stats.p50 / first.stats.p50).toFixed(2)}`,
        verdict: 'info',
      },
      {
        section,
        metric: `/v1/me/stats documents read, ${size}`,
        target: `same as at ${num(first.clicks)}, no raw clicks`,
        measured: describeReads(step.statsReads),
        baseline: step === first ? '' : `${num(first.statsReads.documents)} at ${num(first.clicks)}`,
        ratio:
          step === first ? '' : `×${(step.statsReads.documents / Math.max(1, first.statsReads.documents)).toFixed(2)}`,
        verdict: verdict(step.statsReads.documents === first.statsReads.documents && !readsClicks(step.statsReads)),
      },
      {
        section,
        metric: `admin partners report p50 / p95, ${size}`,
        target: '',
        measured: `${ms(step.admin.p50)} / ${ms(step.admin.p95)}`,
        baseline: step === first ? '' : `${ms(first.admin.p50)} at ${num(first.clicks)}`,
        ratio: step === first ? '' : `×${(step.admin.p50 / first.admin.p50).toFixed(2)}`,
        verdict: 'info',
      },
      {
        section,
        metric: `admin partners report documents read, ${size}`,
        target: `≤ partners × (days × banners + 1), no raw clicks`,
        measured: describeReads(step.adminReads),
        baseline: `${num(adminBound)} bound`,
        ratio: `${((step.adminReads.documents / adminBound) * 100).toFixed(1)}%`,
        verdict: verdict(step.adminReads.documents <= adminBound && !readsClicks(step.adminReads)),
      },
    );
  }
  return rows;
}

function describeReads(tally: ReadTally): string {
  const parts = Object.entries(tally.collections)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, reads]) => `${name} ${num(reads.documents)}`);
  return `${num(tally.documents)} (${parts.join(', ') || 'none'})`;
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

/** Sequential requests (one at a time: latency of the report itself, not of a queue). */
async function timed(count: number, request: (index: number) => Promise<void>): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await request(i);
    samples.push(performance.now() - started);
  }
  return { samples: count, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

interface LoadPlan {
  from: number;
  to: number;
  rawClickCap: number;
  partners: string[];
  dayList: string[];
  /** The read models of every click loaded so far, folded in memory by the collector's fold code. */
  counters: { buckets: Map<string, Bucket>; programs: Map<string, ProgramBucket>; seq: number };
  log(line: string): void;
}

/**
 * Clicks number `from` to `to`: the first ones give each probe partner one click per day and
 * banner, the rest go to random partners, days and banners. Raw clicks are stored as the collector
 * stores them (up to the cap); the bucket read models are folded from them with the collector's
 * own fold functions (domain/stat-layout.ts), a batch per chunk, and written whole at the end.
 */
async function loadClicks(db: BenchDb, plan: LoadPlan): Promise<void> {
  const chunk = 5000;
  const probeClicks = probes * plan.dayList.length * banners.length;
  const native = db.connection.db!;
  for (let start = plan.from; start < plan.to; start += chunk) {
    const end = Math.min(plan.to, start + chunk);
    const raw: object[] = [];
    const contributions: Contribution[] = [];
    for (let n = start; n < end; n++) {
      const click = randomClick(plan.partners);
      let partnerId = click.aid;
      let day = plan.dayList[randomInt(plan.dayList.length)]!;
      let bid = click.bid ?? '';
      if (n < probeClicks) {
        partnerId = plan.partners[n % probes]!;
        day = plan.dayList[Math.floor(n / probes) % plan.dayList.length]!;
        bid = banners[Math.floor(n / (probes * plan.dayList.length)) % banners.length]!;
      }
      contributions.push(clickContribution({ cid: click.cid, partnerId, day, bid, unique: true }));
      if (n < plan.rawClickCap) {
        raw.push(
          storedClick(click, {
            partnerId,
            bid,
            occurredAt: new Date(`${day}T${String(randomInt(24)).padStart(2, '0')}:00:00Z`),
          }),
        );
      }
    }
    if (raw.length > 0) await native.collection('clicks').insertMany(raw as never[], { ordered: false });
    foldInMemory(plan.counters, contributions);
  }
  const docs = [...plan.counters.buckets.values(), ...plan.counters.programs.values()];
  // Replaced whole: a drop, as FerretDB cannot delete that many documents in one command.
  await db.models.StatBucket.collection.drop().catch(() => {});
  for (let i = 0; i < docs.length; i += 1000)
    await native.collection('stat_buckets').insertMany(docs.slice(i, i + 1000) as never[]);
}

/** One fold batch applied to read models kept in memory (what the folder does with stored ones). */
export function foldInMemory(models: LoadPlan['counters'], contributions: Contribution[]): void {
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
