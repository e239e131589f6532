// The money read models through the real API and folder: statement lines, balances and the book of
// business equal what the ledger, the payout claims and the customers say, after replays, retries,
// refunds, payouts and failed items, a migration from an old data folder and a rebuild after drift.
import { randomUUID } from 'node:crypto';
import type { Collector } from '../../../collector/app';
import { summarizeLedger } from '../../../collector/domain/ledger';
import { migrateMoneyReadModels, rebuildMoney } from '../../../collector/services/money-rebuild';
import { recordLedgerDelta } from '../../../collector/services/money-fold';
import { runPayout } from '../../../collector/services/payouts';
import { StatsFolder } from '../../../collector/services/stats-folder';
import { partnerBalance } from '../../../collector/services/statements';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner, day } from '../../support/partners';
import { moneyApi, server } from './support';

const db = useTestDatabase(__filename);
let collector: Collector;
const { api, invoice, refund, run, complete } = moneyApi(() => collector);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const flush = () => collector.context.tracking.flush();

beforeAll(async () => {
  collector = await testCollector(db.connection());
});

afterAll(async () => {
  await collector.close();
});

/** A partner with a customer bound by a click on banner `summer` (the click stored, as tracking stores it). */
async function partnerWithBoundCustomer() {
  const partner = await createTestPartner(collector);
  const { models } = collector.context;
  const clickId = randomUUID();
  const clickedAt = new Date(Date.now() - 300 * day);
  await models.Click.collection.insertOne({
    _id: clickId as never,
    partnerId: partner.partnerId,
    bid: 'summer',
    occurredAt: clickedAt,
  });
  const customerId = `cus_${randomUUID()}`;
  const boundAt = new Date(Date.now() - 299 * day);
  await models.Customer.create({
    _id: customerId,
    partnerId: partner.partnerId,
    clickId,
    bid: 'summer',
    method: 'link',
    boundAt,
  });
  return { ...partner, customerId, clickedAt, boundAt };
}

/** What the ledger itself says (the old way: every entry and claim of the partner). */
async function fromLedger(partnerId: string, asOf: Date) {
  const { models } = collector.context;
  const entries = await models.LedgerEntry.find({ partnerId }).lean();
  const claims = await models.PayoutClaim.find({ partnerId }).lean();
  return summarizeLedger(entries, new Set(claims.map((claim) => claim._id)), asOf);
}

/** What a payout run at `asOf` would pay the partner (or withhold). */
async function plannedFor(partnerId: string, asOf: Date) {
  const plan = await runPayout(collector.context, { asOf, actor: 'test', preview: true }, new Date());
  const item = plan.items.find((candidate) => candidate.partnerId === partnerId);
  const withheld = plan.withheld.find((candidate) => candidate.partnerId === partnerId);
  return item?.amount ?? withheld?.balance ?? 0;
}

describe('statement lines', () => {
  it('show base, rate, refunds folded in and the binding; replays and retries add nothing', async () => {
    const partner = await partnerWithBoundCustomer();
    const old = `inv_${randomUUID()}`;
    const oldInvoice = {
      eventId: old,
      customerId: partner.customerId,
      occurredAt: new Date(Date.now() - 200 * day).toISOString(),
      lines: [{ kind: 'plan', amount: 40_000 }],
    };
    await api().post('/v1/revenue').set(server).send(oldInvoice).expect(201);
    await refund(old, 10_000).expect(201);
    await invoice(partner.customerId, 8_000, 10).expect(201);
    await flush();

    const page = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items).toEqual([
      expect.objectContaining({
        kind: 'commission',
        base: 8000,
        rateBasisPoints: 2500,
        amount: 2000,
        status: 'pending',
      }),
      expect.objectContaining({
        entryId: `commission:${old}`,
        base: 40_000,
        rateBasisPoints: 2500,
        amount: 10_000,
        refunded: 2500,
        net: 7500,
        status: 'payable',
        payoutId: null,
        binding: {
          clickedAt: partner.clickedAt.toISOString(),
          bid: 'summer',
          signedUpAt: partner.boundAt.toISOString(),
          method: 'link',
          coupon: null,
        },
      }),
    ]);
    const balance = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(balance.body).toMatchObject({ pending: 2000, payable: 7500, paid: 0, reversed: 2500, balance: 7500 });
    expect(balance.body).toMatchObject({ minimumPayout: 10_000, belowMinimum: true, carriedForward: 7500 });
    const released = new Date(Date.now() + 110 * day);
    expect(new Date(balance.body.nextReleaseAt).getTime()).toBeGreaterThan(released.getTime() - day);
    expect(balance.body.releases).toEqual([{ month: balance.body.nextReleaseAt.slice(0, 7), amount: 2000 }]);

    // The same invoice and refund again, the same deltas again, and a refold of every entry.
    await api().post('/v1/revenue').set(server).send(oldInvoice).expect(200);
    const { models } = collector.context;
    for (const entry of await models.LedgerEntry.find({ partnerId: partner.partnerId }).lean())
      await recordLedgerDelta(models, entry._id);
    await flush();
    await collector.context.tracking.stats.withLease(async () => {
      for (const entry of await models.LedgerEntry.find({ partnerId: partner.partnerId }).lean())
        await models.StatDelta.collection.insertOne({
          _id: `money:again:ledger:${entry._id}` as never,
          kind: 'money',
          fact: 'ledger',
          ref: entry._id,
          createdAt: new Date(),
        });
    });
    await flush();
    const again = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(again.body).toEqual(balance.body);
    const lines = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(lines.body).toEqual(page.body);
  });

  it('pages newest first by cursor, also with a status filter', async () => {
    const partner = await partnerWithBoundCustomer();
    for (const daysAgo of [400, 300, 200, 100, 50, 5]) await invoice(partner.customerId, 4000, daysAgo).expect(201);
    await flush();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 2, ...(cursor ? { cursor } : {}) };
      const page = await api().get('/v1/me/commissions').query(query).set(bearer(partner.token)).expect(200);
      seen.push(...page.body.items.map((line: { occurredAt: string }) => line.occurredAt));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect([...seen].sort().reverse()).toEqual(seen);
    const pending = await api().get('/v1/me/commissions').query({ status: 'pending' }).set(bearer(partner.token));
    expect(pending.body.items.map((line: { status: string }) => line.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
  });
});

describe('a busy month', () => {
  it('is kept in chunks of at most 50 lines, paged completely, and finished once after a crash mid-split', async () => {
    // No background fold from here on: the tests fold when they say so.
    await collector.context.tracking.stats.close();
    const partner = await partnerWithBoundCustomer();
    const now = new Date();
    const middle = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15);
    const daysAgo = (n: number) => (now.getTime() - middle) / day - n / 10_000;
    const events: string[] = [];
    const post = async (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        events.push(`inv_${randomUUID()}`);
        await invoice(partner.customerId, 4000 + n, daysAgo(n), events[n]).expect(201);
      }
    };
    await post(0, 60);
    await flush();
    await post(60, 120);
    await flush();
    await post(120, 130);
    for (const eventId of events.slice(0, 3)) await refund(eventId, 400).expect(201);

    // Killed after the first new chunk of this fold was written, before the head naming it.
    const { models, logger } = collector.context;
    const chunk = new RegExp(`^${partner.partnerId}\\|\\d{4}-\\d{2}\\|\\d+\\.\\d+$`);
    const crashing = new StatsFolder(models, logger, {
      foldMs: 60_000,
      graceMs: 60_000,
      afterBucketWrite: async (id) => {
        if (chunk.test(id)) throw new Error('killed mid-fold');
      },
    });
    await expect(crashing.flush()).rejects.toThrow('killed mid-fold');
    await new StatsFolder(models, logger, { foldMs: 60_000, graceMs: 60_000 }).flush();

    const docs = await models.StatementMonth.find({ partnerId: partner.partnerId }).lean();
    const head = docs.find((doc) => doc._id === `${partner.partnerId}|${new Date(middle).toISOString().slice(0, 7)}`)!;
    const chunks = (head.chunks ?? []) as Array<{ id: string }>;
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    // Every document is the head or a chunk it names (none left behind), and none holds more than 50 lines.
    for (const doc of docs) {
      if (doc._id !== head._id && !doc._id.endsWith('|' + doc.month))
        expect(chunks.map((ref) => ref.id)).toContain(doc._id);
      expect(((doc.lines ?? []) as unknown[]).length).toBeLessThanOrEqual(50);
    }

    const seen: Array<{ eventId: string; occurredAt: string; refunded: number }> = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 50, ...(cursor ? { cursor } : {}) };
      const page = await api().get('/v1/me/commissions').query(query).set(bearer(partner.token)).expect(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((line) => line.eventId).sort()).toEqual([...events].sort());
    expect([...seen.map((line) => line.occurredAt)].sort().reverse()).toEqual(seen.map((line) => line.occurredAt));
    expect(seen.filter((line) => line.refunded > 0)).toHaveLength(3);
    expect(await partnerBalance(collector.context, partner.partnerId, new Date())).toMatchObject(
      await fromLedger(partner.partnerId, new Date()),
    );

    // A data folder of an older version keeps the month whole: the next folder splits it once.
    const whole = [];
    for (const ref of chunks) whole.push(...(docs.find((doc) => doc._id === ref.id)!.lines as unknown[]));
    await models.StatementMonth.collection.replaceOne({ _id: head._id } as never, {
      partnerId: head.partnerId,
      month: head.month,
      seq: head.seq,
      lines: whole,
    });
    for (const ref of chunks) await models.StatementMonth.deleteOne({ _id: ref.id });
    await models.StatFold.deleteOne({ _id: 'migration:month_chunks' });
    const all = async () =>
      (await api().get('/v1/me/commissions').query({ limit: 200 }).set(bearer(partner.token)).expect(200)).body;
    const old = await all();
    expect(old.items).toHaveLength(130);
    await new StatsFolder(models, logger, { foldMs: 60_000, graceMs: 60_000 }).flush();
    const after = await models.StatementMonth.find({ partnerId: partner.partnerId }).lean();
    expect(after.every((doc) => ((doc.lines ?? []) as unknown[]).length <= 50)).toBe(true);
    expect((await models.StatementMonth.findById(head._id).lean())!.chunks).toHaveLength(3);
    expect(await all()).toEqual(old);
  });
});

describe('balance', () => {
  it('payable equals what a payout run at the same moment would pay, to the millisecond', async () => {
    const partner = await partnerWithBoundCustomer();
    await invoice(partner.customerId, 80_000, 150).expect(201);
    await invoice(partner.customerId, 40_000, 119).expect(201);
    await flush();
    const { models } = collector.context;
    const soon = await models.LedgerEntry.findOne({ partnerId: partner.partnerId, amount: 10_000 }).lean();
    const releaseAt = soon!.availableAt.getTime();
    for (const asOf of [new Date(), new Date(releaseAt - 1), new Date(releaseAt), new Date(releaseAt + 3 * day)]) {
      const balance = await partnerBalance(collector.context, partner.partnerId, asOf);
      expect(balance.payable).toBe(await plannedFor(partner.partnerId, asOf));
      expect(balance).toMatchObject(await fromLedger(partner.partnerId, asOf));
    }
    expect((await partnerBalance(collector.context, partner.partnerId, new Date(releaseAt - 1))).payable).toBe(20_000);
    expect((await partnerBalance(collector.context, partner.partnerId, new Date(releaseAt))).payable).toBe(30_000);
  });

  it('follows payout claims, and a failed item gives them back', async () => {
    const partner = await partnerWithBoundCustomer();
    await invoice(partner.customerId, 80_000, 150).expect(201);
    await flush();
    const batch = await run().expect(201);
    const payoutId = batch.body.payoutId as string;
    await flush();
    const paid = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(paid.body).toMatchObject({ payable: 0, paid: 20_000, balance: 0 });
    const line = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(line.body.items[0]).toMatchObject({ status: 'paid', payoutId });

    await complete(payoutId, [partner.partnerId]).expect(200);
    await flush();
    const back = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(back.body).toMatchObject({ payable: 20_000, paid: 0, balance: 20_000 });
    expect(back.body).toMatchObject(await fromLedger(partner.partnerId, new Date()));
    const again = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(again.body.items[0]).toMatchObject({ status: 'payable', payoutId: null });
    const stats = await api().get('/v1/me/stats').set(bearer(partner.token)).expect(200);
    expect(stats.body.totals).toMatchObject({ commission: { payable: 20_000, paid: 0 }, balance: 20_000 });
  });
});

describe('a crash mid-fold', () => {
  it('is finished by the next folder: lines and totals get the batch exactly once', async () => {
    // No background fold from here on: the tests fold when they say so.
    await collector.context.tracking.stats.close();
    const partner = await partnerWithBoundCustomer();
    const old = `inv_${randomUUID()}`;
    await invoice(partner.customerId, 40_000, 200, old).expect(201);
    await refund(old, 8000).expect(201);
    const { models, logger } = collector.context;
    // Killed after the statement month was written, before the partner's totals.
    const crashing = new StatsFolder(models, logger, {
      foldMs: 60_000,
      graceMs: 60_000,
      afterBucketWrite: async (id) => {
        if (new RegExp(`^${partner.partnerId}\\|\\d{4}-\\d{2}$`).test(id)) throw new Error('killed mid-fold');
      },
    });
    await expect(crashing.flush()).rejects.toThrow('killed mid-fold');
    expect(await models.MoneyTotal.findById(partner.partnerId).lean()).toBeNull();
    await flush();
    const balance = await partnerBalance(collector.context, partner.partnerId, new Date());
    expect(balance).toMatchObject({ payable: 8000, reversed: 2000 });
    expect(balance).toMatchObject(await fromLedger(partner.partnerId, new Date()));
    const lines = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(lines.body.items).toEqual([expect.objectContaining({ amount: 10_000, refunded: 2000, net: 8000 })]);
  });
});

describe('book of business', () => {
  it("lists only the partner's own customers, with invoices, revenue, commission and churn", async () => {
    const a = await partnerWithBoundCustomer();
    const b = await partnerWithBoundCustomer();
    const first = `inv_${randomUUID()}`;
    await invoice(a.customerId, 40_000, 100, first).expect(201);
    await invoice(a.customerId, 20_000, 60).expect(201);
    await refund(first, 40_000).expect(201);
    await invoice(b.customerId, 10_000, 1).expect(201);
    await flush();
    const mine = await api().get('/v1/me/customers').set(bearer(a.token)).expect(200);
    expect(mine.body).toEqual({
      currency: 'USD',
      nextCursor: null,
      items: [
        {
          customerId: a.customerId,
          signedUpAt: a.boundAt.toISOString(),
          method: 'link',
          bid: 'summer',
          coupon: null,
          firstInvoiceAt: expect.any(String),
          latestInvoiceAt: expect.any(String),
          monthRevenue: 0,
          lifetimeRevenue: 60_000,
          lifetimeCommission: 5000,
          status: 'churned',
        },
      ],
    });
    const theirs = await api().get('/v1/me/customers').set(bearer(b.token)).expect(200);
    expect(theirs.body.items).toEqual([
      expect.objectContaining({ customerId: b.customerId, lifetimeCommission: 2500, status: 'active' }),
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(b.customerId);
  });

  it('keeps a busy month of signups in chunks of at most 50, with later commission changes in the right one', async () => {
    const partner = await createTestPartner(collector);
    const { models } = collector.context;
    const now = new Date();
    const middle = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15);
    const customers: string[] = [];
    const invoices: string[] = [];
    for (let n = 0; n < 70; n++) {
      const customerId = `cus_${randomUUID()}`;
      customers.push(customerId);
      const boundAt = new Date(middle + n * 60_000);
      await models.Customer.create({ _id: customerId, partnerId: partner.partnerId, clickId: randomUUID(), boundAt });
      invoices.push(`inv_${randomUUID()}`);
      await invoice(customerId, 4000, (now.getTime() - boundAt.getTime()) / day - 0.01, invoices[n]).expect(201);
    }
    await flush();
    // Commission taken back later: each change must reach its customer wherever the split put it.
    for (const n of [0, 35, 69]) await refund(invoices[n]!, 400).expect(201);
    await flush();

    const docs = await models.CustomerBook.find({ partnerId: partner.partnerId }).lean();
    expect(docs.length).toBeGreaterThan(2);
    expect(docs.every((doc) => ((doc.customers ?? []) as unknown[]).length <= 50)).toBe(true);
    const seen: Array<{ customerId: string; lifetimeCommission: number }> = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 30, ...(cursor ? { cursor } : {}) };
      const page = await api().get('/v1/me/customers').query(query).set(bearer(partner.token)).expect(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((customer) => customer.customerId)).toEqual([...customers].reverse());
    const commission = new Map(seen.map((customer) => [customer.customerId, customer.lifetimeCommission]));
    expect([0, 35, 69, 1].map((n) => commission.get(customers[n]!))).toEqual([900, 900, 900, 1000]);
  });
});

describe('migration and rebuild', () => {
  it('builds the read models once from a data folder written before them, and a rebuild repairs drift', async () => {
    const { models } = collector.context;
    const partner = await createTestPartner(collector);
    const customerId = `cus_${randomUUID()}`;
    const boundAt = new Date(Date.now() - 250 * day);
    // The old layout: facts only, written without deltas.
    await models.Customer.collection.insertOne({ _id: customerId as never, partnerId: partner.partnerId, boundAt });
    const eventId = `inv_${randomUUID()}`;
    const occurredAt = new Date(Date.now() - 200 * day);
    await models.RevenueEvent.collection.insertOne({
      _id: eventId as never,
      kind: 'invoice',
      fingerprint: 'x',
      customerId,
      partnerId: partner.partnerId,
      currency: 'USD',
      lines: [{ kind: 'plan', amount: 12_000 }],
      total: 12_000,
      commissionable: 12_000,
      result: { eventId, commission: 3000 },
      occurredAt,
      receivedAt: occurredAt,
    });
    await models.LedgerEntry.collection.insertOne({
      _id: `commission:${eventId}` as never,
      partnerId: partner.partnerId,
      kind: 'commission',
      amount: 3000,
      currency: 'USD',
      customerId,
      eventId,
      occurredAt,
      availableAt: new Date(occurredAt.getTime() + 120 * day),
      createdAt: occurredAt,
    });
    await models.StatFold.deleteOne({ _id: 'migration:money_read_models' });
    const logger = collector.context.logger;
    const moved = await migrateMoneyReadModels(models, logger, 'test');
    expect(moved.entries).toBeGreaterThan(0);
    expect(await migrateMoneyReadModels(models, logger, 'other')).toEqual({ entries: 0, customers: 0, invoices: 0 });
    await flush();
    const lines = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(lines.body.items).toEqual([expect.objectContaining({ amount: 3000, base: 12_000, rateBasisPoints: null })]);
    const customers = await api().get('/v1/me/customers').set(bearer(partner.token)).expect(200);
    expect(customers.body.items).toEqual([
      expect.objectContaining({ customerId, lifetimeRevenue: 12_000, lifetimeCommission: 3000 }),
    ]);
    const before = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(before.body).toMatchObject({ payable: 3000 });

    await models.MoneyTotal.updateOne({ _id: partner.partnerId }, { $set: { released: 999_999, paid: 5 } });
    const drifted = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(drifted.body.payable).not.toBe(3000);
    await rebuildMoney(models, collector.context.tracking.stats, () => {});
    await flush();
    const after = await api().get('/v1/me/balance').set(bearer(partner.token)).expect(200);
    expect(after.body).toEqual(before.body);
    const customersAfter = await api().get('/v1/me/customers').set(bearer(partner.token)).expect(200);
    expect(customersAfter.body).toEqual(customers.body);
  });
});
