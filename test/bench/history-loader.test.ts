// The history the benchmark loads is what the collector itself would hold: what the API counts for
// the probe partner equals what the loader says it wrote, and every document is where the API looks.
import request from 'supertest';
import { signToken } from '../../collector/auth/tokens';
import { utcDay } from '../../collector/domain/days';
import { loadHistory, type Loaded } from '../../bench/lib/history-loader';
import { partnerIds } from '../../bench/lib/clicks';
import { seedBanners, seedPartners } from '../../bench/lib/seed';
import type { Collector } from '../../collector/app';
import { testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;
let loaded: Loaded;
const partners = partnerIds(20);
const probe = partners[0]!;
const now = new Date();

beforeAll(async () => {
  collector = await testCollector(db.connection());
  const { models, config } = collector.context;
  await seedPartners(models, partners);
  await seedBanners(models);
  loaded = await loadHistory(
    { connection: db.connection(), models, close: async () => {} },
    { clicks: 2000, partners, probe, days: 365, now, config, chunk: 300 },
  );
}, 120_000);

afterAll(() => collector.close());

describe('the loaded history', () => {
  it('writes the planned documents: a ledger entry per second click, a customer per twentieth', async () => {
    const { models } = collector.context;
    expect(loaded).toMatchObject({ clicks: 2000, ledger: 1000, invoices: 1000, customers: 100 });
    expect(await models.Click.countDocuments({})).toBe(2000);
    expect(await models.LedgerEntry.countDocuments({})).toBe(1000);
    expect(await models.RevenueEvent.countDocuments({})).toBe(1000);
    expect(await models.Customer.countDocuments({})).toBe(100);
    expect(loaded.payouts).toBeGreaterThan(0);
  });

  it("is counted by the API as loaded: the probe partner's year of stats", async () => {
    const token = signToken(collector.context.config.jwtSecret, probe, 'partner');
    const from = utcDay(new Date(now.getTime() - 365 * 86_400_000));
    const stats = await request(collector.app)
      .get('/v1/me/stats')
      .query({ from, to: utcDay(now) })
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(loaded.probe.clicks).toBeGreaterThanOrEqual(40);
    expect(stats.body.totals).toMatchObject({
      clicks: loaded.probe.clicks,
      uniqueClicks: loaded.probe.clicks,
      signups: loaded.probe.signups,
      customers: loaded.probe.customers,
      revenue: loaded.probe.revenue,
      earned: loaded.probe.commission,
    });
  });

  it("lists the probe partner's payout batches by key, newest first", async () => {
    const token = signToken(collector.context.config.jwtSecret, probe, 'partner');
    const payouts = await request(collector.app)
      .get('/v1/me/payouts')
      .query({ limit: 50 })
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const items = payouts.body.items as Array<{ asOf: string; status: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((item) => item.asOf)).toEqual(
      items
        .map((item) => item.asOf)
        .sort()
        .reverse(),
    );
    expect(items[0]!.status).toBe('pending');
    expect(items.slice(1).every((item) => item.status === 'paid')).toBe(true);
  });
});
