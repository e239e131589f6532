// A program with history: 1,000 partners, one year of clicks (10k, 100k, then 1M over 365 days),
// an invoice and its commission ledger entry for every second click (500k at 1M) and a bound
// customer for every twentieth (50k at 1M), loaded through the collector's own document builders
// and fold code (bench/lib/history-loader.ts). Each size is its own database with its own collector;
// the requests are then timed round by round across all sizes, so the load of a shared machine
// falls on every size alike. Per request: p50/p95, the documents it read (command monitoring in
// the collector process, per collection), and the ratio to the smallest size.
// Target: every ratio ≤ 1.5, a hard fail above 2: cost must not grow with history.
import { randomUUID } from 'node:crypto';
import { signToken } from '../../collector/auth/tokens';
import { loadConfig } from '../../collector/config';
import { utcDay } from '../../collector/domain/days';
import { BenchChild } from '../lib/child';
import { browserHeaders, partnerIds } from '../lib/clicks';
import { loadHistory, type HistoryPlan, type Loaded } from '../lib/history-loader';
import type { ReadTally } from '../lib/read-counter';
import { openBenchDb, seedBanners, seedPartners } from '../lib/seed';
import type { BenchOptions, SectionResult } from '../lib/section';
import { percentile } from '../lib/stats';
import { ms, num, type Row, type Verdict } from '../lib/table';

const section = 'history';
const partnerCount = 1000;
const historyDays = 365;
/** Time spent sampling one request at one size, after its first three samples. */
const budgetMs = 30_000;

interface Timing {
  p50: number;
  p95: number;
}

interface Measured {
  name: string;
  judged: boolean;
  timing: Timing;
  reads: ReadTally;
}

interface Step {
  clicks: number;
  loaded: Loaded;
  loadSeconds: number;
  requests: Measured[];
}

/** One request of a round: `run` answers its own status check; state flows from click to refund. */
interface Probe {
  name: string;
  /** False for a request whose cost follows the number of partners by design (shown, never a FAIL). */
  judged?: boolean;
  run(target: Target, round: Round): Promise<void>;
}

interface Target {
  url: string;
  collector: BenchChild;
}

interface Round {
  cid?: string;
  vid?: string;
  customerId?: string;
  eventId?: string;
}

export async function benchHistory(options: BenchOptions): Promise<SectionResult> {
  // BENCH_HISTORY_SIZES=2000,5000 for a smoke run of the section itself.
  const sizes = process.env.BENCH_HISTORY_SIZES
    ? process.env.BENCH_HISTORY_SIZES.split(',').map(Number)
    : options.quick
      ? [10_000, 100_000]
      : [10_000, 100_000, 1_000_000];
  const samples = options.quick ? 9 : 15;
  const partners = partnerIds(partnerCount);
  const probe = partners[0]!;
  const now = new Date();
  const config = loadConfig(options.collectorEnv);
  const env = options.collectorEnv;
  const today = utcDay(now);
  const from30 = utcDay(new Date(now.getTime() - 29 * 86_400_000));

  const targets: Target[] = [];
  const steps: Array<Omit<Step, 'requests'>> = [];
  try {
    for (const size of sizes) {
      // Kept databases have fixed names, so a later run finds them (BENCH_DATA_DIR).
      const dbName = process.env.BENCH_DATA_DIR ? `history_${size}` : `${options.dbPrefix}_history_${size}`;
      steps.push(await prepare(options, dbName, { clicks: size, partners, probe, days: historyDays, now, config }));
      // Folding stays with the loader: the collector under test only reads what it is asked for.
      const collector = await BenchChild.start(
        'serve-collector.ts',
        { ...env, BENCH_DB: dbName, ASHOP_STATS_FOLD_MS: '3600000' },
        // Starting on a kept database of an older version includes its one-time moves.
        30 * 60_000,
      );
      // One fold pass before measuring: a kept database of an older version gets the folder's
      // one-time reshapes, and facts earlier runs' probes stored are folded.
      await collector.request('flush', 30 * 60_000);
      targets.push({ url: collector.url, collector });
    }

    const asPartner = `Bearer ${signToken(env.ASHOP_JWT_SECRET!, probe, 'partner')}`;
    const asAdmin = `Bearer ${env.ASHOP_ADMIN_KEY!}`;
    const asServer = `Bearer ${env.ASHOP_SERVER_KEY!}`;
    // BENCH_HISTORY_REQUESTS=<regex> measures only the requests whose names match.
    const only = process.env.BENCH_HISTORY_REQUESTS ? new RegExp(process.env.BENCH_HISTORY_REQUESTS) : undefined;
    const probes = probesFor({ probe, from30, today, asPartner, asAdmin, asServer }).filter(
      (request) => !only || only.test(request.name),
    );

    // First a counted round (documents read per request and size), then timed rounds across sizes.
    const reads: ReadTally[][] = targets.map(() => []);
    for (const [index, target] of targets.entries()) {
      const round: Round = {};
      for (const request of probes)
        reads[index]!.push(await readsOf(target.collector, () => request.run(target, round)));
    }
    const times: number[][][] = targets.map(() => probes.map(() => []));
    for (let sample = 0; sample < samples; sample++) {
      for (const [index, target] of targets.entries()) {
        const round: Round = {};
        for (const [p, request] of probes.entries()) {
          const taken = times[index]![p]!;
          // A request that takes seconds at this size has shown it: its budget keeps the run finite.
          if (taken.length >= 3 && taken.reduce((sum, t) => sum + t, 0) > budgetMs) continue;
          const started = performance.now();
          await request.run(target, round);
          taken.push(performance.now() - started);
        }
      }
    }
    const measuredSteps: Step[] = steps.map((step, index) => ({
      ...step,
      requests: probes.map((request, p) => ({
        name: request.name,
        judged: request.judged ?? true,
        timing: { p50: percentile(times[index]![p]!, 50), p95: percentile(times[index]![p]!, 95) },
        reads: reads[index]![p]!,
      })),
    }));
    for (const step of measuredSteps)
      for (const { name, timing, reads: tally } of step.requests)
        options.log(
          `    ${num(step.clicks)} ${name}: p50 ${timing.p50.toFixed(1)} ms, ${num(tally.documents)} documents read`,
        );
    return {
      rows: rowsOf(measuredSteps),
      data: { partners: partnerCount, days: historyDays, samples, steps: measuredSteps },
    };
  } finally {
    for (const target of targets) await target.collector.stop(10_000);
  }
}

/** Loads one size into its own database, or finds it loaded by an earlier run (BENCH_DATA_DIR). */
async function prepare(options: BenchOptions, dbName: string, plan: HistoryPlan): Promise<Omit<Step, 'requests'>> {
  const db = await openBenchDb(options.mongodbUri, dbName);
  try {
    const native = db.connection.db!;
    const marker = await native.collection<{ loaded: Loaded; loadSeconds: number }>('bench_loaded').findOne({});
    if (marker) {
      options.log(`  ${num(plan.clicks)} clicks: reusing the kept database ${dbName}`);
      return { clicks: plan.clicks, loaded: marker.loaded, loadSeconds: marker.loadSeconds };
    }
    // Loaded by a run that stopped before writing its marker (or copied from one): the planned sizes.
    if (await native.collection('clicks').findOne({})) {
      const loaded: Loaded = {
        clicks: plan.clicks,
        customers: plan.clicks / 20,
        invoices: plan.clicks / 2,
        ledger: plan.clicks / 2,
        payouts: await native.collection('payouts').countDocuments({}),
        probe: { clicks: 0, signups: 0, customers: 0, revenue: 0, commission: 0 },
      };
      options.log(`  ${num(plan.clicks)} clicks: reusing ${dbName}`);
      return { clicks: plan.clicks, loaded, loadSeconds: 0 };
    }
    const started = Date.now();
    let lastLog = started;
    await seedPartners(db.models, plan.partners);
    await seedBanners(db.models);
    const loaded = await loadHistory(db, {
      ...plan,
      progress: (count) => {
        if (Date.now() - lastLog < 30_000 && count < plan.clicks) return;
        lastLog = Date.now();
        const rate = count / ((Date.now() - started) / 1000);
        options.log(`  ${num(plan.clicks)}: ${num(count)} clicks loaded (${num(rate)} clicks/s)`);
      },
    });
    const loadSeconds = (Date.now() - started) / 1000;
    options.log(
      `  ${num(plan.clicks)} clicks, ${num(loaded.ledger)} ledger entries, ${num(loaded.customers)} customers loaded in ${loadSeconds.toFixed(1)} s`,
    );
    await native.collection('bench_loaded').insertOne({ loaded, loadSeconds });
    return { clicks: plan.clicks, loaded, loadSeconds };
  } finally {
    await db.close();
  }
}

function probesFor(keys: {
  probe: string;
  from30: string;
  today: string;
  asPartner: string;
  asAdmin: string;
  asServer: string;
}): Probe[] {
  const { probe, asPartner, asAdmin, asServer } = keys;
  const read = (name: string, path: string, authorization: string): Probe => ({
    name: `GET ${name}`,
    run: async (target) => expectStatus(await send(target, 'GET', path, authorization), 200, name),
  });
  return [
    {
      name: 'POST /v1/clicks',
      run: async (target, round) => {
        round.cid = randomUUID();
        round.vid = randomUUID();
        const body = {
          aid: probe,
          cid: round.cid,
          vid: round.vid,
          url: 'http://localhost:8080/pricing',
          userAgent: browserHeaders['User-Agent'],
        };
        expectStatus(await send(target, 'POST', '/v1/clicks', asServer, body), 202, 'click');
      },
    },
    {
      name: 'GET /r/:aid (redirect)',
      run: async (target) =>
        expectStatus(await send(target, 'GET', `/r/${probe}?bid=summer&to=/pricing`, undefined), 302, 'redirect'),
    },
    {
      name: 'POST /v1/signups',
      run: async (target, round) => {
        round.customerId = `bench-${randomUUID()}`;
        const body = { customerId: round.customerId, referral: { v: 1, aid: probe, cid: round.cid, vid: round.vid } };
        expectStatus(await send(target, 'POST', '/v1/signups', asServer, body), 201, 'signup');
      },
    },
    {
      name: 'POST /v1/revenue',
      run: async (target, round) => {
        round.eventId = `bench-inv-${randomUUID()}`;
        const body = {
          eventId: round.eventId,
          customerId: round.customerId,
          currency: 'USD',
          lines: [{ kind: 'plan', amount: 4900 }],
        };
        expectStatus(await send(target, 'POST', '/v1/revenue', asServer, body), 201, 'revenue');
      },
    },
    {
      name: 'POST /v1/refunds',
      run: async (target, round) => {
        const body = { eventId: `bench-re-${randomUUID()}`, refundOf: round.eventId, kind: 'refund' };
        expectStatus(await send(target, 'POST', '/v1/refunds', asServer, body), 201, 'refund');
      },
    },
    read('/v1/me', '/v1/me', asPartner),
    read('/v1/me/stats (30 days)', `/v1/me/stats?from=${keys.from30}&to=${keys.today}`, asPartner),
    read('/v1/me/commissions (page of 50)', '/v1/me/commissions?limit=50', asPartner),
    read('/v1/me/balance', '/v1/me/balance', asPartner),
    read('/v1/me/customers (page of 50)', '/v1/me/customers?limit=50', asPartner),
    read('/v1/me/payouts', '/v1/me/payouts', asPartner),
    read('/v1/banners', '/v1/banners', asPartner),
    read('/v1/admin/partners (page of 50)', '/v1/admin/partners?limit=50', asAdmin),
    read('/v1/admin/partners/:id', `/v1/admin/partners/${probe}`, asAdmin),
    read('/v1/admin/partners/:id/notes', `/v1/admin/partners/${probe}/notes`, asAdmin),
    read(
      '/v1/admin/reports/partners (30 days, page of 50)',
      `/v1/admin/reports/partners?from=${keys.from30}&to=${keys.today}&limit=50`,
      asAdmin,
    ),
    {
      ...read(
        '/v1/admin/reports/partners (30 days, all 1,000 partners)',
        `/v1/admin/reports/partners?from=${keys.from30}&to=${keys.today}`,
        asAdmin,
      ),
      // Reads every partner's money totals: it grows with the partners, not the history, so it is shown, not judged.
      judged: false,
    },
  ];
}

function rowsOf(steps: Step[]): Row[] {
  const first = steps[0]!;
  const rows: Row[] = [];
  for (const [index, { name }] of first.requests.entries()) {
    for (const step of steps) {
      const { timing, reads } = step.requests[index]!;
      const base = first.requests[index]!.timing;
      const ratio = timing.p50 / base.p50;
      const judged = first.requests[index]!.judged;
      const verdict: Verdict =
        step === first || !judged ? 'info' : ratio <= 1.5 ? 'pass' : ratio <= 2 ? 'info' : 'FAIL';
      rows.push({
        section,
        metric: `${name}, ${num(step.clicks)} clicks / ${num(step.loaded.ledger)} ledger`,
        target: step === first || !judged ? '' : 'p50 ≤ ×1.5 (fail > ×2)',
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

async function send(
  target: Target,
  method: string,
  path: string,
  authorization: string | undefined,
  body?: object,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(authorization ? { Authorization: authorization } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, text: await response.text() };
}

function expectStatus(answer: { status: number; text: string }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
}

async function readsOf(collector: BenchChild, request: () => Promise<void>): Promise<ReadTally> {
  await collector.request('reads-reset');
  await request();
  return (await collector.request<{ tally: ReadTally }>('reads')).tally;
}
