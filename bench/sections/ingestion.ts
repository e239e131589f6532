// Click ingestion under load, between its two ceilings measured in the same run: a bare HTTP
// server (what Node and loopback allow) and raw insertMany into the same engine (what storage
// allows). Then exactness (every acknowledged click stored, counted once in the stat buckets) and the
// collector's memory before and after.
import type { Db } from 'mongodb';
import { dimensionValue, type Bucket } from '../../collector/domain/stat-layout';
import { BenchChild } from '../lib/child';
import { banners, clickRequests, partnerIds, randomClick, storedClick } from '../lib/clicks';
import { runLoad, type LoadSummary } from '../lib/load';
import { openBenchDb, seedPartners } from '../lib/seed';
import { notMeasured, reasonOf, settle, withTimeout, type BenchOptions, type SectionResult } from '../lib/section';
import { ratio } from '../lib/stats';
import { mb, ms, num, pct, verdict, type Row } from '../lib/table';

const section = 'ingestion';
const connections = 50;
const targetShare = 0.6;
const targetP99Ms = 50;
const targetGrowthBytes = 50 * 1024 * 1024;

export async function benchIngestion(options: BenchOptions): Promise<SectionResult> {
  const sizes = options.quick
    ? { requests: 6000, seconds: 10, warmup: 1000, ceilingDocs: 20_000, ceilingSeconds: 8, drainSeconds: 10 }
    : { requests: 40_000, seconds: 30, warmup: 3000, ceilingDocs: 100_000, ceilingSeconds: 20, drainSeconds: 45 };
  const partners = partnerIds(100);
  const rows: Row[] = [];
  const data: Record<string, unknown> = { connections, sizes };

  const http = await settle(httpCeiling(partners, sizes));
  const storage = await settle(storageCeiling(options, partners, sizes));
  if (!(http instanceof Error)) data.httpCeiling = http;
  if (!(storage instanceof Error)) data.storageCeiling = storage;
  options.log(
    `  ceilings: http ${http instanceof Error ? reasonOf(http) : `${num(http.rps)}/s`}, ` +
      `storage ${storage instanceof Error ? reasonOf(storage) : `${num(storage.docsPerSecond)} docs/s`}`,
  );
  rows.push(
    http instanceof Error
      ? notMeasured(section, 'HTTP ceiling (bare node:http, 202)', '', reasonOf(http))
      : {
          section,
          metric: 'HTTP ceiling (bare node:http, 202)',
          target: '',
          measured: `${num(http.rps)} req/s`,
          baseline: '',
          ratio: '',
          verdict: 'info',
        },
  );
  rows.push(
    storage instanceof Error
      ? notMeasured(section, 'storage ceiling (raw insertMany)', '', reasonOf(storage))
      : {
          section,
          metric: 'storage ceiling (raw insertMany, 1,000/batch)',
          target: '',
          measured: `${num(storage.docsPerSecond)} docs/s`,
          baseline: '',
          ratio: '',
          verdict: 'info',
        },
  );

  const collector = await settle(collectorRun(options, partners, sizes));
  if (collector instanceof Error) {
    options.log(`  collector run failed: ${collector.stack ?? collector.message}`);
    const reason = reasonOf(collector);
    rows.push(
      notMeasured(section, 'POST /v1/clicks throughput', `≥ ${pct(targetShare)} of lower ceiling`, reason),
      notMeasured(section, 'POST /v1/clicks p99', `≤ ${targetP99Ms} ms`, reason),
      notMeasured(section, 'lost or double-counted clicks', '0', reason),
      notMeasured('memory', 'collector RSS growth after load', `≤ ${mb(targetGrowthBytes)}`, reason),
    );
    return { rows, data: { ...data, error: reason } };
  }
  data.collector = collector;

  const ceilings = [
    ...(http instanceof Error ? [] : [{ name: 'HTTP', value: http.rps }]),
    ...(storage instanceof Error ? [] : [{ name: 'storage', value: storage.docsPerSecond }]),
  ];
  const lower = ceilings.sort((a, b) => a.value - b.value)[0];
  const share = lower ? ratio(collector.load.rps, lower.value) : undefined;
  data.ratioToLowerCeiling = share;
  const { load, exactness, memory } = collector;
  rows.push(
    {
      section,
      metric: `POST /v1/clicks throughput (${connections} connections, ${collector.stage})`,
      target: `≥ ${pct(targetShare)} of lower ceiling`,
      measured: `${num(load.rps)} req/s`,
      baseline: lower ? `${num(lower.value)}/s ${lower.name}` : 'no ceiling measured',
      ratio: share === undefined ? '' : pct(share),
      verdict: share === undefined ? 'not measured' : verdict(share >= targetShare),
    },
    {
      section,
      metric: 'POST /v1/clicks latency p50 / p99',
      target: `p99 ≤ ${targetP99Ms} ms`,
      measured: `${ms(load.p50)} / ${ms(load.p99)}`,
      baseline: http instanceof Error ? '' : `${ms(http.p50)} / ${ms(http.p99)} HTTP ceiling`,
      ratio: '',
      verdict: verdict(load.p99 <= targetP99Ms),
    },
    {
      section,
      metric: 'POST /v1/clicks errors (non-202, failed connections)',
      target: '0',
      measured: `${num(load.non2xx + load.errors)} of ${num(load.sent)}`,
      // Requests the time limit cut off are not errors; the throughput row judges the slowness.
      baseline: load.cutOff > 0 ? `${num(load.cutOff)} in flight at the time limit` : '',
      ratio: '',
      verdict: verdict(load.non2xx === 0 && load.errors === 0),
    },
    {
      section,
      metric: 'acknowledged clicks lost / double-counted',
      target: '0 / 0',
      measured: Number.isNaN(exactness.lost)
        ? 'not checked: the engine did not answer'
        : `${num(exactness.lost)} / ${num(exactness.overCounted)}` +
          (exactness.underCounted ? ` (${num(exactness.underCounted)} uncounted)` : ''),
      baseline:
        `${num(exactness.acknowledged)} acknowledged` +
        (Number.isNaN(exactness.counted) ? '' : `, ${num(exactness.counted)} counted`),
      ratio: '',
      verdict: verdict(
        exactness.lost === 0 && exactness.overCounted === 0 && exactness.underCounted === 0 && exactness.drained,
      ),
    },
    {
      section,
      metric: 'write queues drained after the load',
      target: `within ${sizes.drainSeconds} s`,
      measured: exactness.drained ? `yes, in ${num(exactness.drainMs)} ms` : 'no: writes stuck in the engine',
      baseline: '',
      ratio: '',
      verdict: verdict(exactness.drained),
    },
    {
      section: 'memory',
      metric: 'collector RSS growth after load (drained, GC)',
      target: `≤ ${mb(targetGrowthBytes)}`,
      measured: Number.isNaN(memory.after)
        ? 'not measured: the collector did not drain'
        : mb(memory.after - memory.before),
      baseline: Number.isNaN(memory.after) ? '' : `${mb(memory.before)} before, ${mb(memory.peak)} peak`,
      ratio: '',
      verdict: Number.isNaN(memory.after) ? 'not measured' : verdict(memory.after - memory.before <= targetGrowthBytes),
    },
  );
  return { rows, data };
}

interface Sizes {
  requests: number;
  seconds: number;
  warmup: number;
  ceilingDocs: number;
  ceilingSeconds: number;
  drainSeconds: number;
}

async function httpCeiling(partners: string[], sizes: Sizes): Promise<LoadSummary> {
  const server = await BenchChild.start('serve-ceiling.ts', { PATH: process.env.PATH });
  try {
    const load = { url: server.url, connections, requests: clickRequests(partners, new Set()) };
    await runLoad({ ...load, amount: sizes.warmup, maxSeconds: 5 });
    return await runLoad({ ...load, amount: sizes.requests, maxSeconds: sizes.seconds });
  } finally {
    await server.stop();
  }
}

/** Click documents as the collector stores them, inserted raw in batches, two batches in flight. */
async function storageCeiling(options: BenchOptions, partners: string[], sizes: Sizes) {
  const db = await openBenchDb(options.mongodbUri, `${options.dbPrefix}_ceiling`);
  try {
    await db.models.Click.createIndexes();
    const collection = db.connection.collection('clicks');
    const batchSize = 1000;
    const deadline = Date.now() + sizes.ceilingSeconds * 1000;
    let inserted = 0;
    const started = Date.now();
    const writer = async () => {
      while (inserted < sizes.ceilingDocs && Date.now() < deadline) {
        const docs = Array.from({ length: batchSize }, () => storedClick(randomClick(partners)));
        inserted += batchSize;
        await collection.insertMany(docs as never[], { ordered: false });
      }
    };
    await Promise.all([writer(), writer()]);
    const durationMs = Date.now() - started;
    return { docs: inserted, durationMs, batchSize, docsPerSecond: (inserted * 1000) / durationMs };
  } finally {
    await db.connection.dropDatabase().catch(() => {});
    await db.close();
  }
}

async function collectorRun(options: BenchOptions, partners: string[], sizes: Sizes) {
  const dbName = `${options.dbPrefix}_ingest`;
  const db = await openBenchDb(options.mongodbUri, dbName);
  let collector: BenchChild | undefined;
  try {
    collector = await BenchChild.start('serve-collector.ts', { ...options.collectorEnv, BENCH_DB: dbName });
    await seedPartners(db.models, partners);
    const acknowledged = new Set<string>();
    const load = { url: collector.url, connections, requests: clickRequests(partners, acknowledged) };
    const drain = () =>
      collector!.request('flush', sizes.drainSeconds * 1000).then(
        () => true,
        (error: unknown) => {
          options.log(`  the collector did not drain: ${reasonOf(error)}`);
          return false;
        },
      );
    const warmup = await runLoad({ ...load, amount: sizes.warmup, maxSeconds: 10 });
    options.log(`  warm-up: ${num(warmup.ok)} of ${num(warmup.sent)} answered 2xx`);
    const warmupAcknowledged = acknowledged.size;
    if (!(await drain())) {
      // A collector whose writes hang cannot be loaded further: its warm-up is what was measured.
      // The engine may not answer the check either.
      const checked = await settle(
        withTimeout(
          checkExactness(db.connection.db!, acknowledged),
          sizes.drainSeconds * 1000,
          'reading clicks and counters back',
        ),
      );
      if (checked instanceof Error) options.log(`  ${checked.message}`);
      const exactness = {
        ...(checked instanceof Error
          ? {
              acknowledged: acknowledged.size,
              stored: Number.NaN,
              counted: Number.NaN,
              lost: Number.NaN,
              overCounted: Number.NaN,
              underCounted: Number.NaN,
              uniqueMismatches: Number.NaN,
              banners: banners.length,
            }
          : checked),
        drained: false,
        drainMs: Number.NaN,
        warmupAcknowledged,
      };
      return {
        load: warmup,
        stage: 'warm-up (the collector hung)',
        exactness,
        memory: { before: Number.NaN, after: Number.NaN, peak: Number.NaN },
      };
    }
    const before = (await collector.request<{ rss: number }>('rss')).rss;

    let peak = before;
    const sampler = setInterval(() => {
      collector!.request<{ rss: number }>('rss-now', 1000).then(
        (answer) => (peak = Math.max(peak, answer.rss)),
        () => {},
      );
    }, 500);
    let summary: LoadSummary;
    try {
      summary = await runLoad({ ...load, amount: sizes.requests, maxSeconds: sizes.seconds });
    } finally {
      clearInterval(sampler);
    }
    options.log(
      `  collector: ${num(summary.rps)} req/s, p50 ${summary.p50} ms, p99 ${summary.p99} ms, statuses ${JSON.stringify(summary.statusCodes)}`,
    );
    const drainStarted = Date.now();
    const drained = await drain();
    const drainMs = Date.now() - drainStarted;
    const after = drained ? (await collector.request<{ rss: number }>('rss')).rss : Number.NaN;
    const exactness = {
      ...(await checkExactness(db.connection.db!, acknowledged)),
      drained,
      drainMs,
      warmupAcknowledged,
    };
    return {
      load: summary,
      stage: 'measured load',
      exactness,
      memory: { before, after, peak: Math.max(peak, after || 0) },
    };
  } finally {
    await collector?.stop(5000);
    await db.close();
  }
}

/** Every acknowledged click stored; the counters equal to the counted clicks per partner, day and banner. */
async function checkExactness(db: Db, acknowledged: Set<string>) {
  const stored = new Set<string>();
  const expected = new Map<string, { clicks: number; uniqueClicks: number }>();
  const cursor = db
    .collection<{ _id: string; partnerId: string; bid?: string; counted: boolean; unique: boolean; occurredAt: Date }>(
      'clicks',
    )
    .find({}, { projection: { partnerId: 1, bid: 1, counted: 1, unique: 1, occurredAt: 1 } });
  let counted = 0;
  for await (const click of cursor) {
    stored.add(click._id);
    if (!click.counted) continue;
    counted++;
    const key = statKey(click.partnerId, click.occurredAt.toISOString().slice(0, 10), click.bid ?? '');
    const entry = expected.get(key) ?? { clicks: 0, uniqueClicks: 0 };
    entry.clicks++;
    if (click.unique) entry.uniqueClicks++;
    expected.set(key, entry);
  }
  let overCounted = 0;
  let underCounted = 0;
  let uniqueMismatches = 0;
  const seen = new Set<string>();
  // The partner-month buckets (domain/stat-layout.ts): per day, counters by banner.
  const buckets = db.collection<Bucket>('stat_buckets').find({ partnerId: { $exists: true } });
  for await (const bucket of buckets) {
    for (const [bannerKey, days] of Object.entries(bucket.dims?.banner ?? {})) {
      for (const [dd, counters] of Object.entries(days)) {
        const key = statKey(bucket.partnerId, `${bucket.month}-${dd}`, dimensionValue(bannerKey) ?? '');
        seen.add(key);
        const want = expected.get(key) ?? { clicks: 0, uniqueClicks: 0 };
        const clicks = counters.clicks ?? 0;
        overCounted += Math.max(0, clicks - want.clicks);
        underCounted += Math.max(0, want.clicks - clicks);
        if ((counters.uniqueClicks ?? 0) !== want.uniqueClicks) uniqueMismatches++;
      }
    }
  }
  for (const [key, want] of expected) if (!seen.has(key)) underCounted += want.clicks;
  let lost = 0;
  for (const cid of acknowledged) if (!stored.has(cid)) lost++;
  return {
    acknowledged: acknowledged.size,
    stored: stored.size,
    counted,
    lost,
    overCounted,
    underCounted,
    uniqueMismatches,
    banners: banners.length,
  };
}

function statKey(partnerId: string, day: string, bid: string): string {
  return `${partnerId}|${day}|${bid}`;
}
