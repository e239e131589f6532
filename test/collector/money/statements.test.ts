// The money read models through the real API and folder: statement lines, balances and the book of
// business equal what the ledger, the payout claims and the customers say, after replays, retries,
// refunds, payouts and failed items, a migration from an old data folder and a rebuild after drift.
import { randomUUID } from 'node:crypto';
import type { Collector } from '../../../collector/app';
import { migrateMoneyReadModels, rebuildMoney } from '../../../collector/services/money-rebuild';
import { recordLedgerDelta } from '../../../collector/services/money-fold';
import { runPayout } from '../../../collector/services/payouts';
import { StatsFolder } from '../../../collector/services/stats-folder';
import { partnerBalance } from '../../../collector/services/statements';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner, day } from '../../support/partners';
import { fromLedger, moneyApi, partnerWithBoundCustomer, server } from './support';

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

/** What a payout run at `asOf` would pay the partner (or withhold). */
async function plannedFor(partnerId: string, asOf: Date) {
  const plan = await runPayout(collector.context, { asOf, actor: 'test', preview: true }, new Date());
  const item = plan.items.find((candidate) => candidate.partnerId === partnerId);
  const withheld = plan.withheld.find((candidate) => candidate.partnerId === partnerId);
  return item?.amount ?? withheld?.balance ?? 0;
}

describe('statement lines', () => {
  it('show base, rate, refunds folded in and the binding; replays and retries add nothing', async () => {
    const partner = await partnerWithBoundCustomer(collector);
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
    const partner = await partnerWithBoundCustomer(collector);
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

describe('balance', () => {
  it('payable equals what a payout run at the same moment would pay, to the millisecond', async () => {
    const partner = await partnerWithBoundCustomer(collector);
    await invoice(partner.customerId, 80_000, 150).expect(201);
    await invoice(partner.customerId, 40_000, 119).expect(201);
    await flush();
    const { models } = collector.context;
    const soon = await models.LedgerEntry.findOne({ partnerId: partner.partnerId, amount: 10_000 }).lean();
    const releaseAt = soon!.availableAt.getTime();
    for (const asOf of [new Date(), new Date(releaseAt - 1), new Date(releaseAt), new Date(releaseAt + 3 * day)]) {
      const balance = await partnerBalance(collector.context, partner.partnerId, asOf);
      expect(balance.payable).toBe(await plannedFor(partner.partnerId, asOf));
      expect(balance).toMatchObject(await fromLedger(collector, partner.partnerId, asOf));
    }
    expect((await partnerBalance(collector.context, partner.partnerId, new Date(releaseAt - 1))).payable).toBe(20_000);
    expect((await partnerBalance(collector.context, partner.partnerId, new Date(releaseAt))).payable).toBe(30_000);
  });

  it('follows payout claims, and a failed item gives them back', async () => {
    const partner = await partnerWithBoundCustomer(collector);
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
    expect(back.body).toMatchObject(await fromLedger(collector, partner.partnerId, new Date()));
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
    const partner = await partnerWithBoundCustomer(collector);
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
    expect(balance).toMatchObject(await fromLedger(collector, partner.partnerId, new Date()));
    const lines = await api().get('/v1/me/commissions').set(bearer(partner.token)).expect(200);
    expect(lines.body.items).toEqual([expect.objectContaining({ amount: 10_000, refunded: 2000, net: 8000 })]);
  });
});

describe('book of business', () => {
  it("lists only the partner's own customers, with invoices, revenue, commission and churn", async () => {
    const a = await partnerWithBoundCustomer(collector);
    const b = await partnerWithBoundCustomer(collector);
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
