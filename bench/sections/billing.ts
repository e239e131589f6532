// Billing: invoices for bound customers at 20 connections, 10% of them sent twice at once (the
// duplicate right behind the original, so another connection carries it concurrently). Exact when
// the ledger holds one commission entry per event and its total equals the expected sum to the cent,
// and once the fold has caught up the partners' balances add up to that same total.
import { randomInt, randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import { BenchChild } from '../lib/child';
import { partnerIds } from '../lib/clicks';
import { runLoad } from '../lib/load';
import { openBenchDb, seedPartners } from '../lib/seed';
import { type BenchOptions, type SectionResult } from '../lib/section';
import { ms, num, verdict, type Row } from '../lib/table';

const section = 'billing';
const connections = 20;
const duplicateShare = 0.1;
/** The fold of 3,000 invoices takes 30–60 s on the embedded engine; far longer means it is stuck. */
const foldTimeoutMs = 5 * 60_000;

interface Invoice {
  eventId: string;
  customerId: string;
  occurredAt: string;
  lines: Array<{ kind: string; amount: number }>;
}

/** 25% (the default ASHOP_COMMISSION_RATE) of plan + app lines, rounded half up, in integers only. */
export function expectedCommission(invoice: Invoice): number {
  const commissionable = invoice.lines
    .filter((line) => line.kind === 'plan' || line.kind === 'app')
    .reduce((sum, line) => sum + line.amount, 0);
  return Math.floor((commissionable * 25 + 50) / 100);
}

export async function benchBilling(options: BenchOptions): Promise<SectionResult> {
  const events = options.quick ? 400 : 3000;
  const partners = partnerIds(20);
  const customers = Array.from({ length: options.quick ? 200 : 1000 }, (_, index) => ({
    _id: `cust-${String(index + 1).padStart(6, '0')}`,
    partnerId: partners[index % partners.length]!,
    clickId: randomUUID(),
    boundAt: new Date(),
  }));
  const invoices: Invoice[] = Array.from({ length: events }, (_, index) => ({
    eventId: `inv-${randomUUID()}`,
    customerId: customers[index % customers.length]!._id,
    occurredAt: new Date(Date.now() - randomInt(86_400_000)).toISOString(),
    // Random positive amounts (as the API requires): most leave a fraction of a cent, so rounding is exercised.
    lines: [
      { kind: 'plan', amount: randomInt(500, 50_000) },
      { kind: 'app', amount: randomInt(1, 5000) },
      { kind: 'design', amount: randomInt(1, 20_000) },
    ],
  }));
  const sequence = invoices.flatMap((invoice, index) =>
    index % Math.round(1 / duplicateShare) === 0 ? [invoice, invoice] : [invoice],
  );

  const dbName = `${options.dbPrefix}_billing`;
  const db = await openBenchDb(options.mongodbUri, dbName);
  let collector: BenchChild | undefined;
  try {
    collector = await BenchChild.start('serve-collector.ts', { ...options.collectorEnv, BENCH_DB: dbName });
    await seedPartners(db.models, partners);
    await db.models.Customer.insertMany(customers, { lean: true });

    const answers = new Map<string, Array<{ status: number; commission: unknown }>>();
    let next = 0;
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        path: '/v1/revenue',
        setupRequest: (request, context) => {
          const invoice = sequence[next++ % sequence.length]!;
          (context as { eventId?: string }).eventId = invoice.eventId;
          return {
            ...request,
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${options.collectorEnv.ASHOP_SERVER_KEY}`,
            },
            body: JSON.stringify(invoice),
          };
        },
        onResponse: (status, body, context) => {
          const eventId = (context as { eventId?: string }).eventId!;
          let commission: unknown;
          try {
            commission = (JSON.parse(body) as { commission?: unknown }).commission;
          } catch {
            commission = undefined;
          }
          answers.set(eventId, [...(answers.get(eventId) ?? []), { status, commission }]);
        },
      },
    ];
    const load = await runLoad({
      url: collector.url,
      connections,
      amount: sequence.length,
      maxSeconds: options.quick ? 20 : 90,
      requests,
    });
    options.log(
      `  revenue: ${num(load.rps)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, statuses ${JSON.stringify(load.statusCodes)}`,
    );
    // What the fold still has to do once the load ends: how far the partners' balances lag the ledger.
    const foldStart = Date.now();
    const folded = await collector.request('flush', foldTimeoutMs).then(
      () => true,
      (error: unknown) => {
        options.log(`  flush failed: ${String(error)}`);
        return false;
      },
    );
    const foldMs = Date.now() - foldStart;
    options.log(`  read models caught up ${num(foldMs)} ms after the load`);

    const ledger = await db.connection
      .db!.collection<{ _id: string; eventId: string; kind: string; amount: number }>('ledger')
      .find({ kind: 'commission' }, { projection: { eventId: 1, amount: 1 } })
      .toArray();
    const entriesBy = new Map<string, number[]>();
    for (const entry of ledger) entriesBy.set(entry.eventId, [...(entriesBy.get(entry.eventId) ?? []), entry.amount]);
    let expectedTotal = 0;
    let wrongEntries = 0;
    let wrongAnswers = 0;
    let unanswered = 0;
    for (const invoice of invoices) {
      const expected = expectedCommission(invoice);
      expectedTotal += expected;
      const entries = entriesBy.get(invoice.eventId) ?? [];
      if (entries.length !== 1 || entries[0] !== expected) wrongEntries++;
      const got = answers.get(invoice.eventId) ?? [];
      if (got.length === 0) unanswered++;
      if (got.some((answer) => (answer.status !== 201 && answer.status !== 200) || answer.commission !== expected))
        wrongAnswers++;
    }
    const ledgerTotal = ledger.reduce((sum, entry) => sum + entry.amount, 0);
    const totals = await db.connection
      .db!.collection<{ released: number; days: Record<string, number> }>('money_totals')
      .find({}, { projection: { released: 1, days: 1 } })
      .toArray();
    const unclaimedTotal = totals.reduce(
      (sum, doc) => sum + doc.released + Object.values(doc.days).reduce((days, amount) => days + amount, 0),
      0,
    );
    const created = [...answers.values()].flat().filter((answer) => answer.status === 201).length;
    const data = {
      connections,
      events,
      sent: sequence.length,
      load,
      expectedTotal,
      ledgerTotal,
      ledgerEntries: ledger.length,
      wrongEntries,
      foldMs,
      unclaimedTotal,
      wrongAnswers,
      unanswered,
      created,
    };
    const rows: Row[] = [
      {
        section,
        metric: `POST /v1/revenue throughput (${connections} connections, ${num(duplicateShare * 100)}% duplicates)`,
        target: '',
        measured: `${num(load.rps)} req/s`,
        baseline: `${num(sequence.length)} requests, ${num(events)} events`,
        ratio: '',
        verdict: 'info',
      },
      {
        section,
        metric: 'POST /v1/revenue latency p50 / p99',
        target: '',
        measured: `${ms(load.p50)} / ${ms(load.p99)}`,
        baseline: '',
        ratio: '',
        verdict: 'info',
      },
      {
        section,
        metric: 'ledger total (minor units)',
        target: '= expected, to the cent',
        measured: num(ledgerTotal),
        baseline: `${num(expectedTotal)} expected`,
        ratio: `${num(ledgerTotal - expectedTotal)} off`,
        verdict: verdict(ledgerTotal === expectedTotal),
      },
      {
        section,
        metric: 'commission entries per event',
        target: 'exactly 1, right amount',
        measured: `${num(ledger.length)} entries for ${num(events)} events; ${num(wrongEntries)} events wrong`,
        baseline: '',
        ratio: '',
        verdict: verdict(wrongEntries === 0 && ledger.length === events),
      },
      {
        section,
        metric: 'partner balances (money read models) after the load',
        target: '= ledger total',
        measured: folded ? `${num(unclaimedTotal)}, caught up ${ms(foldMs)} after the load` : 'the fold did not finish',
        baseline: `${num(ledgerTotal)} in the ledger`,
        ratio: `${num(unclaimedTotal - ledgerTotal)} off`,
        verdict: verdict(folded && unclaimedTotal === ledgerTotal),
      },
      {
        section,
        metric: 'answers (201 first, 200 replay, same commission)',
        target: 'all right',
        measured: `${num(created)} × 201; ${num(wrongAnswers)} events answered wrong, ${num(unanswered)} unanswered`,
        baseline: '',
        ratio: '',
        verdict: verdict(wrongAnswers === 0 && unanswered === 0 && created === events),
      },
    ];
    return { rows, data };
  } finally {
    await collector?.stop(10_000);
    await db.close();
  }
}
