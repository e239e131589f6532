// A program's history written as the collector writes it, but in bulk: the documents come from the
// collector's own builders (clickDocument, customerDocument, invoiceEvent, commissionEntry), the
// counter read models from the folder's own fold functions (domain/stat-layout.ts) and the money
// read models from its in-memory money fold (domain/statement.ts foldMoneyInMemory: statement
// lines, totals, release days, customer books), and they are stored with unordered insertMany
// batches, a few in flight at once. Generated a chunk at a time, so memory holds one chunk plus the
// read models (they hold every commission line: about 1 KB a ledger entry).
import { randomInt, randomUUID } from 'node:crypto';
import type { Config } from '../../collector/config';
import { DAY_MS, utcDay } from '../../collector/domain/days';
import {
  clickContribution,
  daysOf,
  foldIntoBucket,
  foldIntoProgram,
  groupContributions,
  invoiceContribution,
  landingPage,
  signupContribution,
  type Bucket,
  type Contribution,
  type ProgramBucket,
} from '../../collector/domain/stat-layout';
import {
  emptyMoneyDocs,
  foldMoneyInMemory,
  invoiceBookOp,
  lineBaseOf,
  monthOfDate,
  signupBookOp,
  type CustomerFacts,
  type MoneyDocs,
  type MoneyOps,
} from '../../collector/domain/statement';
import { clickDocument } from '../../collector/services/click-writer';
import { insertNew } from '../../collector/services/duplicates';
import { moneyMigrationId } from '../../collector/services/money-rebuild';
import { daysMigrationId } from '../../collector/services/stats-migration';
import { completedKey, sealedKey } from '../../collector/services/payouts';
import { partnerPayoutEntry, payoutsStream } from '../../collector/services/partner-payouts';
import { recordItemEntries } from '../../collector/services/payout-entries';
import { logEntryId } from '../../collector/domain/keyed-log';
import { fingerprint } from '../../collector/services/fingerprint';
import { commissionEntry } from '../../collector/services/ledger-writer';
import { invoiceEvent } from '../../collector/services/revenue';
import { customerDocument } from '../../collector/services/signups';
import { visitorHash } from '../../collector/services/visitor-hash';
import { banners, browserHeaders, siteOrigin } from './clicks';
import type { BenchDb } from './seed';

export interface HistoryPlan {
  clicks: number;
  partners: readonly string[];
  /** The partner the requests are made for: it gets every 50th click, so its history grows with the program's. */
  probe: string;
  days: number;
  now: Date;
  config: Pick<Config, 'commissionableKinds' | 'commissionRate' | 'holdDays' | 'currency'>;
  /** Clicks per generated chunk (one insertMany per collection). */
  chunk?: number;
  progress?(loaded: number): void;
}

/** What was written, and the probe partner's own totals (what its stats must answer). */
export interface Loaded {
  clicks: number;
  payouts: number;
  customers: number;
  invoices: number;
  ledger: number;
  probe: { clicks: number; signups: number; customers: number; revenue: number; commission: number };
}

/** Every 20th click binds a customer; every 2nd click is an invoice of the latest customer (10 a customer). */
const customerEvery = 20;
const invoiceEvery = 2;
const probeEvery = 50;
const inFlight = 3;

/**
 * Loads `plan.clicks` clicks over the last `plan.days` days, with a customer bound for every 20th
 * and an invoice (and its commission entry) for every 2nd: a customer's monthly invoices, 30 days
 * apart from its signup, never in the future.
 */
export async function loadHistory(db: BenchDb, plan: HistoryPlan): Promise<Loaded> {
  const native = db.connection.db!;
  const chunk = plan.chunk ?? 5000;
  const loaded: Loaded = {
    clicks: 0,
    payouts: 0,
    customers: 0,
    invoices: 0,
    ledger: 0,
    probe: { clicks: 0, signups: 0, customers: 0, revenue: 0, commission: 0 },
  };
  const models = { buckets: new Map<string, Bucket>(), programs: new Map<string, ProgramBucket>(), seq: 0 };
  const money = emptyMoneyDocs();
  const start = plan.now.getTime() - plan.days * DAY_MS;
  const currentMonth = monthOfDate(plan.now);
  // Commission entries by month and partner, paid by one batch a month (see writePayouts).
  const earned = new Map<string, Map<string, { amount: number; entryIds: string[] }>>();
  const pending = new Set<Promise<void>>();
  const store = async (name: string, docs: object[]) => {
    if (docs.length === 0) return;
    while (pending.size >= inFlight) await Promise.race(pending);
    const write = native
      .collection(name)
      .insertMany(docs as never[], { ordered: false })
      .then(() => {
        pending.delete(write);
      });
    pending.add(write);
  };

  let customer: {
    id: string;
    partnerId: string;
    bid?: string;
    page: string | null;
    at: number;
    facts: CustomerFacts & { _id: string; partnerId: string };
  } | null = null;
  for (let first = 0; first < plan.clicks; first += chunk) {
    const last = Math.min(plan.clicks, first + chunk);
    const batch = randomUUID();
    const clicks: object[] = [];
    const customers: object[] = [];
    const invoices: object[] = [];
    const ledger: object[] = [];
    const contributions: Contribution[] = [];
    const moneyOps: MoneyOps = { lines: [], books: [] };
    for (let n = first; n < last; n++) {
      const bid = banners[randomInt(banners.length)] || undefined;
      const partnerId = n % probeEvery === 0 ? plan.probe : plan.partners[randomInt(plan.partners.length)]!;
      const occurredAt = new Date(start + randomInt(plan.days * 24) * 3_600_000 + randomInt(3_600_000));
      const cid = randomUUID();
      const vid = randomUUID();
      const input = {
        cid,
        partnerId,
        bid,
        vid,
        url: `${siteOrigin}/pricing`,
        referrer: 'https://blog.example/best-shop-builders',
        ip: '',
        userAgent: browserHeaders['User-Agent'],
        occurredAt,
      };
      const fact = { visitorHash: visitorHash('bench', vid, input.userAgent), bot: false, counted: true };
      clicks.push(clickDocument(input, fact, true, batch));
      const page = landingPage(input.url);
      const day = utcDay(occurredAt);
      contributions.push(clickContribution({ cid, partnerId, day, unique: true, bid, page }));
      const isProbe = partnerId === plan.probe;
      if (isProbe) loaded.probe.clicks += 1;

      if (n % customerEvery === 0) {
        const id = `cus_${cid}`;
        const evidence = { attributed: true, partnerId, method: 'link', source: 'sdk', clickId: cid, bid } as const;
        const stored = customerDocument(id, evidence, undefined, occurredAt);
        customers.push(stored);
        // What the folder reads of a bound customer (LineReader.customer): its fields and its click's time.
        const facts = { ...stored, clickedAt: occurredAt };
        customer = { id, partnerId, bid, page, at: occurredAt.getTime(), facts };
        moneyOps.books.push(signupBookOp(facts));
        contributions.push(signupContribution(partnerId, occurredAt, { banner: bid ?? null, page }));
        loaded.customers += 1;
        if (isProbe) loaded.probe.signups += 1;
      }
      if (n % invoiceEvery === 0 && customer) {
        const month = (n % customerEvery) / invoiceEvery;
        const at = new Date(Math.min(customer.at + month * 30 * DAY_MS + 60_000, plan.now.getTime() - 60_000));
        const input = {
          eventId: `inv_${randomUUID()}`,
          customerId: customer.id,
          occurredAt: at,
          currency: plan.config.currency,
          lines: [{ kind: 'plan', amount: 2900 + randomInt(10) * 1000 }],
        };
        const event = invoiceEvent(
          plan.config,
          input,
          { _id: customer.partnerId },
          fingerprint({ type: 'invoice', ...input }),
          at,
        );
        invoices.push(event);
        const { commission } = event.result;
        const entry = commissionEntry(
          { ...event, partnerId: customer.partnerId, customerId: customer.id, commission },
          plan.config.holdDays,
        );
        ledger.push({ ...entry, createdAt: at });
        moneyOps.lines.push({
          partnerId: entry.partnerId,
          line: lineBaseOf(entry, null, customer.facts),
          claim: { entryId: entry._id, payoutId: batchOfMonth(monthOfDate(at), currentMonth)?.payoutId ?? null },
        });
        moneyOps.books.push(
          invoiceBookOp({ ...event, partnerId: customer.partnerId, customerId: customer.id }, customer.facts),
        );
        const byPartner =
          earned.get(utcDay(at).slice(0, 7)) ?? new Map<string, { amount: number; entryIds: string[] }>();
        earned.set(utcDay(at).slice(0, 7), byPartner);
        const owed = byPartner.get(entry.partnerId) ?? { amount: 0, entryIds: [] };
        byPartner.set(entry.partnerId, owed);
        owed.amount += entry.amount;
        owed.entryIds.push(entry._id);
        const dims = { banner: customer.bid ?? null, page: customer.page };
        const firstOfCustomer = month === 0;
        contributions.push(
          invoiceContribution(
            { partnerId: customer.partnerId, occurredAt: at, total: event.total, commission },
            dims,
            firstOfCustomer,
          ),
        );
        loaded.invoices += 1;
        loaded.ledger += 1;
        if (customer.partnerId === plan.probe) {
          loaded.probe.revenue += event.total;
          loaded.probe.commission += commission;
          if (firstOfCustomer) loaded.probe.customers += 1;
        }
      }
    }
    await store('clicks', clicks);
    await store('customers', customers);
    await store('revenue_events', invoices);
    await store('ledger', ledger);
    fold(models, contributions);
    await foldMoneyInMemory(money, moneyOps, plan.now, models.seq);
    loaded.clicks = last;
    plan.progress?.(last);
  }
  await Promise.all(pending);
  loaded.payouts = await writePayouts(db, plan, earned, currentMonth);
  await storeAll(db, 'stat_buckets', [...models.buckets.values(), ...models.programs.values()]);
  await storeAll(db, db.models.StatDay.collection.collectionName, [...models.buckets.values()].map(daysOf));
  // Written here with the buckets: the collector must not copy them on its first fold.
  await insertNew(db.models.StatFold.collection, [
    { _id: daysMigrationId, done: true, rows: models.buckets.size, createdAt: new Date() },
  ]);
  await storeMoney(db, money);
  return loaded;
}

/** The batch that pays what was earned in `month`: on the next month's first day (none yet for this month). */
function batchOfMonth(month: string, currentMonth: string): { payoutId: string; asOf: Date } | null {
  if (month >= currentMonth) return null;
  const asOf = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1));
  return { payoutId: `po_${asOf.toISOString().slice(0, 10).replace(/-/g, '')}_bench`, asOf };
}

/** Read models in batches of a bounded size (a batch of large documents must not time out). */
async function storeAll(db: BenchDb, collection: string, docs: readonly object[]): Promise<void> {
  const native = db.connection.db!;
  let batch: object[] = [];
  let bytes = 0;
  for (const doc of docs) {
    batch.push(doc);
    bytes += JSON.stringify(doc).length;
    if (batch.length === 500 || bytes > 4_000_000) {
      await native.collection(collection).insertMany(batch as never[], { ordered: false });
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) await native.collection(collection).insertMany(batch as never[], { ordered: false });
}

async function storeMoney(db: BenchDb, money: MoneyDocs): Promise<void> {
  const { StatementMonth, MoneyTotal, ReleaseDay, CustomerBook, StatFold } = db.models;
  // Built here: the collector must not queue their first build from the ledger on start.
  await insertNew(StatFold.collection, [
    { _id: moneyMigrationId, owner: 'bench', done: true, rows: money.statements.size, createdAt: new Date() },
  ]);
  await storeAll(db, StatementMonth.collection.collectionName, [...money.statements.values()]);
  await storeAll(db, MoneyTotal.collection.collectionName, [...money.totals.values()]);
  await storeAll(db, ReleaseDay.collection.collectionName, [...money.releaseDays.values()]);
  await storeAll(db, CustomerBook.collection.collectionName, [...money.books.values()]);
}

/**
 * A payout batch on the first of each month for what was earned the month before (the hold is not
 * modelled: the size of the batches is what matters here), as a run writes it: the batch with one
 * item per partner and the entries it pays, its seal, its completion (all but the latest), and the
 * partners' own lists.
 */
async function writePayouts(
  db: BenchDb,
  plan: HistoryPlan,
  earned: Map<string, Map<string, { amount: number; entryIds: string[] }>>,
  currentMonth: string,
): Promise<number> {
  const native = db.connection.db!;
  const months = [...earned.keys()].filter((month) => batchOfMonth(month, currentMonth)).sort();
  const listed = new Map<string, number>();
  for (const [index, month] of months.entries()) {
    const { payoutId, asOf } = batchOfMonth(month, currentMonth)!;
    const completed = index < months.length - 1;
    const items = [];
    for (const [partnerId, owed] of earned.get(month)!) {
      items.push({
        partnerId,
        amount: owed.amount,
        payoutEmail: `${partnerId}@paypal.bench.example`,
        ...(await recordItemEntries(db.models, payoutId, partnerId, owed.entryIds)),
        status: completed ? 'paid' : 'pending',
      });
    }
    await native.collection('payouts').insertOne({
      _id: payoutId as never,
      asOf,
      currency: plan.config.currency,
      status: completed ? 'completed' : 'open',
      items,
      withheld: [],
      listed: true,
      createdBy: 'bench',
      createdAt: asOf,
      ...(completed ? { completedAt: asOf } : {}),
    });
    const claims = [{ _id: sealedKey(payoutId), holder: `payout:${payoutId}`, data: { outcome: 'open' }, at: asOf }];
    if (completed)
      claims.push({ _id: completedKey(payoutId), holder: 'complete:bench', data: { failed: [] } as never, at: asOf });
    await native.collection('once_claims').insertMany(claims as never[]);
    // Each partner's keyed list, entry n for its n-th batch (what recordPartnerPayouts appends).
    const batch = { _id: payoutId, asOf, currency: plan.config.currency, createdAt: asOf };
    const entries = items.map((item) => {
      const n = (listed.get(item.partnerId) ?? 0) + 1;
      listed.set(item.partnerId, n);
      return { _id: logEntryId(payoutsStream(item.partnerId), n), ...partnerPayoutEntry(batch, item) };
    });
    await native.collection('partner_payouts').insertMany(entries as never[]);
  }
  return months.length;
}

/** One fold batch applied to read models kept in memory (what the folder does with stored ones). */
function fold(
  models: { buckets: Map<string, Bucket>; programs: Map<string, ProgramBucket>; seq: number },
  contributions: Contribution[],
): void {
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
