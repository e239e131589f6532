import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { signToken } from '../../../collector/auth/tokens';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { dayStatsOf, serverKey, statsOf } from './fixtures';

const db = useTestDatabase(__filename);
const day = 86_400_000;

describe('revenue', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await testCollector(db.connection());
  });
  afterAll(() => collector.close());

  /** A customer bound to a new partner (bound directly: attribution has its own tests). */
  async function boundCustomer(
    options: { status?: 'active' | 'pending' | 'frozen' | 'disabled'; rate?: number; bid?: string } = {},
  ) {
    const { partnerId } = await createTestPartner(collector, { status: options.status ?? 'active' });
    if (options.rate !== undefined)
      await collector.context.models.Partner.updateOne({ _id: partnerId }, { commissionRate: options.rate });
    const customerId = `cus_${randomUUID()}`;
    await collector.context.models.Customer.create({
      _id: customerId,
      partnerId,
      clickId: randomUUID(),
      bid: options.bid,
      boundAt: new Date(),
    });
    return { partnerId, customerId };
  }

  const invoice = (body: Record<string, unknown>, app = collector.app) =>
    request(app).post('/v1/revenue').set(serverKey).send(body);
  const newEvent = () => `inv_${randomUUID()}`;
  const ledgerOf = (partnerId: string) =>
    collector.context.models.LedgerEntry.find({ partnerId }).sort({ occurredAt: 1 }).lean();

  test('25% of plan and app lines, payable 120 days after the invoice', async () => {
    const { partnerId, customerId } = await boundCustomer({ bid: 'summer' });
    const eventId = newEvent();
    const occurredAt = '2026-01-15T10:00:00.000Z';
    const res = await invoice({
      eventId,
      customerId,
      occurredAt,
      currency: 'USD',
      lines: [
        { kind: 'plan', amount: 7900 },
        { kind: 'app', amount: 2000 },
      ],
    }).expect(201);
    expect(res.body).toEqual({ eventId, commission: 2475 });
    const [entry, ...rest] = await ledgerOf(partnerId);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      _id: `commission:${eventId}`,
      kind: 'commission',
      amount: 2475,
      currency: 'USD',
      customerId,
      eventId,
    });
    expect(entry!.availableAt.toISOString()).toBe('2026-05-15T10:00:00.000Z');
    expect(await dayStatsOf(collector, partnerId, '2026-01-15', 'summer')).toMatchObject({
      revenue: 9900,
      commission: 2475,
      customers: 1,
    });
  });

  test('design and seo lines earn nothing; mixed invoices earn on plan and app only', async () => {
    const { partnerId, customerId } = await boundCustomer();
    const services = await invoice({
      eventId: newEvent(),
      customerId,
      lines: [
        { kind: 'design', amount: 50000 },
        { kind: 'seo', amount: 9900 },
      ],
    }).expect(201);
    expect(services.body.commission).toBe(0);
    const mixed = await invoice({
      eventId: newEvent(),
      customerId,
      lines: [
        { kind: 'plan', amount: 2900 },
        { kind: 'design', amount: 100000 },
        { kind: 'app', amount: 999 },
        { kind: 'service', amount: 5000 },
      ],
    }).expect(201);
    expect(mixed.body.commission).toBe(975); // 25% of 3899 = 974.75
    expect((await ledgerOf(partnerId)).map((entry) => entry.amount)).toEqual([975]);
    expect(await statsOf(collector, partnerId)).toMatchObject({ revenue: 168799, commission: 975, customers: 1 });
  });

  test.each([
    [1, 0], // 0.25
    [2, 1], // 0.5 → 1
    [3, 1], // 0.75
    [6, 2], // 1.5 → 2
    [2999, 750], // 749.75
    [1002, 251], // 250.5 → 251
  ])('odd cents: 25%% of %i rounds half up to %i', async (amount, commission) => {
    const { customerId } = await boundCustomer();
    const res = await invoice({ eventId: newEvent(), customerId, lines: [{ kind: 'plan', amount }] }).expect(201);
    expect(res.body.commission).toBe(commission);
  });

  test('lifetime: a customer billed monthly for 14 months earns every month', async () => {
    const { partnerId, customerId } = await boundCustomer();
    for (let month = 0; month < 14; month++) {
      const occurredAt = new Date(Date.UTC(2025, month, 3, 9)).toISOString();
      const res = await invoice({
        eventId: `${customerId}-m${month}`,
        customerId,
        occurredAt,
        lines: [{ kind: 'plan', amount: 2900 }],
      }).expect(201);
      expect(res.body.commission).toBe(725);
    }
    const entries = await ledgerOf(partnerId);
    expect(entries).toHaveLength(14);
    expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(14 * 725);
    expect(await statsOf(collector, partnerId)).toMatchObject({ customers: 1, commission: 14 * 725 });
  });

  test("the partner's rate override wins", async () => {
    const { customerId } = await boundCustomer({ rate: 300_000 });
    expect(
      (await invoice({ eventId: newEvent(), customerId, lines: [{ kind: 'plan', amount: 1000 }] }).expect(201)).body
        .commission,
    ).toBe(300);
  });

  test('frozen and pending partners accrue; disabled partners earn nothing new', async () => {
    for (const status of ['frozen', 'pending'] as const) {
      const { customerId } = await boundCustomer({ status });
      expect(
        (await invoice({ eventId: newEvent(), customerId, lines: [{ kind: 'plan', amount: 1000 }] }).expect(201)).body
          .commission,
      ).toBe(250);
    }
    const disabled = await boundCustomer({ status: 'disabled' });
    expect(
      (
        await invoice({
          eventId: newEvent(),
          customerId: disabled.customerId,
          lines: [{ kind: 'plan', amount: 1000 }],
        }).expect(201)
      ).body.commission,
    ).toBe(0);
    expect(await ledgerOf(disabled.partnerId)).toEqual([]);
  });

  test('revenue of an unbound customer is recorded without commission', async () => {
    const eventId = newEvent();
    const res = await invoice({ eventId, customerId: 'cus_walk_in', lines: [{ kind: 'plan', amount: 2900 }] }).expect(
      201,
    );
    expect(res.body).toEqual({ eventId, commission: 0 });
    expect(await collector.context.models.RevenueEvent.findById(eventId).lean()).toMatchObject({
      total: 2900,
      commissionable: 2900,
    });
    expect(await collector.context.models.LedgerEntry.countDocuments({ eventId })).toBe(0);
  });

  describe('idempotency on eventId', () => {
    test('the same event again → 200 with the same answer; other content → 409', async () => {
      const { partnerId, customerId } = await boundCustomer();
      const body = { eventId: newEvent(), customerId, lines: [{ kind: 'plan', amount: 4000 }] };
      const first = await invoice(body).expect(201);
      const again = await invoice(body).expect(200);
      expect(again.body).toEqual(first.body);
      const conflict = await invoice({ ...body, lines: [{ kind: 'plan', amount: 4001 }] }).expect(409);
      expect(conflict.body).toMatchObject({ status: 409, type: '/problems/event-conflict' });
      await invoice({ ...body, occurredAt: '2026-01-01T00:00:00Z' }).expect(409);
      expect(await ledgerOf(partnerId)).toHaveLength(1);
      expect(await statsOf(collector, partnerId)).toMatchObject({ revenue: 4000, commission: 1000 });
    });

    test('an explicit currency equal to the program currency is the same event', async () => {
      const { customerId } = await boundCustomer();
      const body = { eventId: newEvent(), customerId, lines: [{ kind: 'plan', amount: 100 }] };
      await invoice(body).expect(201);
      await invoice({ ...body, currency: 'USD' }).expect(200);
    });

    test('50 concurrent posts of one event yield exactly one ledger entry', async () => {
      const { partnerId, customerId } = await boundCustomer();
      const body = { eventId: newEvent(), customerId, lines: [{ kind: 'plan', amount: 10000 }] };
      const answers = await Promise.all(Array.from({ length: 50 }, () => invoice(body)));
      expect(answers.map((res) => res.status).sort()).toEqual([...Array(49).fill(200), 201]);
      expect(new Set(answers.map((res) => JSON.stringify(res.body)))).toEqual(
        new Set([JSON.stringify({ eventId: body.eventId, commission: 2500 })]),
      );
      expect(await ledgerOf(partnerId)).toHaveLength(1);
      expect(await collector.context.models.RevenueEvent.countDocuments({ _id: body.eventId })).toBe(1);
      expect(await statsOf(collector, partnerId)).toMatchObject({ revenue: 10000, commission: 2500, customers: 1 });
    });

    test('two collector instances on one database receiving the same events yield one entry each', async () => {
      const second = await testCollector(db.connection());
      try {
        const { partnerId, customerId } = await boundCustomer();
        const events = Array.from({ length: 10 }, (_, i) => ({
          eventId: newEvent(),
          customerId,
          lines: [{ kind: 'plan', amount: 1000 + i }],
        }));
        const answers = await Promise.all(
          events.flatMap((body) => [
            invoice(body),
            invoice(body, second.app),
            invoice(body, second.app),
            invoice(body),
          ]),
        );
        expect(answers.filter((res) => res.status === 201)).toHaveLength(10);
        expect(answers.every((res) => res.status === 201 || res.status === 200)).toBe(true);
        const entries = await ledgerOf(partnerId);
        expect(entries.map((entry) => entry._id).sort()).toEqual(
          events.map((event) => `commission:${event.eventId}`).sort(),
        );
      } finally {
        await second.close();
      }
    });

    test('crash between the event and its ledger entry: a replay completes the entry', async () => {
      const { partnerId, customerId } = await boundCustomer();
      const body = {
        eventId: newEvent(),
        customerId,
        occurredAt: '2026-02-01T00:00:00Z',
        lines: [{ kind: 'app', amount: 1234 }],
      };
      await invoice(body).expect(201);
      // What a process that died after the event insert leaves behind: the event without its entry.
      await collector.context.models.LedgerEntry.deleteOne({ _id: `commission:${body.eventId}` });
      const replay = await invoice(body).expect(200);
      expect(replay.body.commission).toBe(309); // 308.5 → 309
      const [entry] = await ledgerOf(partnerId);
      expect(entry).toMatchObject({ _id: `commission:${body.eventId}`, amount: 309 });
      expect(entry!.availableAt.toISOString()).toBe(
        new Date(Date.parse('2026-02-01T00:00:00Z') + 120 * day).toISOString(),
      );
    });
  });

  describe('bad input', () => {
    const good = { eventId: 'inv-bad-1', customerId: 'cus-1', lines: [{ kind: 'plan', amount: 100 }] };

    test.each([
      ['a zero amount', { lines: [{ kind: 'plan', amount: 0 }] }, 'lines.0.amount'],
      ['a negative amount', { lines: [{ kind: 'plan', amount: -5 }] }, 'lines.0.amount'],
      ['a fractional amount', { lines: [{ kind: 'plan', amount: 9.99 }] }, 'lines.0.amount'],
      ['an amount as text', { lines: [{ kind: 'plan', amount: '100' }] }, 'lines.0.amount'],
      ['an unsafe amount', { lines: [{ kind: 'plan', amount: 2 ** 53 }] }, 'lines.0.amount'],
      [
        'lines adding up beyond exact integers',
        {
          lines: [
            { kind: 'plan', amount: 2 ** 52 },
            { kind: 'app', amount: 2 ** 52 },
          ],
        },
        'lines',
      ],
      ['no lines', { lines: [] }, 'lines'],
      ['a line kind in capitals', { lines: [{ kind: 'PLAN', amount: 1 }] }, 'lines.0.kind'],
      ['an unknown line field', { lines: [{ kind: 'plan', amount: 1, tax: 1 }] }, 'lines.0'],
      ['an unknown field', { coupon: 'x' }, '(body)'],
      ['a missing eventId', { eventId: undefined }, 'eventId'],
      ['an eventId with spaces', { eventId: 'a b' }, 'eventId'],
      ['a bad date', { occurredAt: '2026-13-01' }, 'occurredAt'],
      ['a bad currency code', { currency: 'usd' }, 'currency'],
    ])('%s → 400 naming %s', async (_name, overrides, field) => {
      const res = await invoice({ ...good, ...overrides }).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    test('another currency → 422', async () => {
      const res = await invoice({ ...good, currency: 'EUR' }).expect(422);
      expect(res.body).toMatchObject({
        type: '/problems/currency-mismatch',
        errors: [{ field: 'currency', message: 'must be USD' }],
      });
    });

    test('no key → 401; a partner login → 403; a browser cannot post revenue', async () => {
      await request(collector.app).post('/v1/revenue').send(good).expect(401);
      const { token } = await createTestPartner(collector);
      await request(collector.app).post('/v1/revenue').set('Authorization', `Bearer ${token}`).send(good).expect(403);
      const admin = signToken(collector.context.config.jwtSecret, 'nobody', 'admin');
      await request(collector.app).post('/v1/revenue').set('Authorization', `Bearer ${admin}`).send(good).expect(401);
    });
  });
});
