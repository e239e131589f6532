import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { takeSlot } from '../../../collector/services/commission-fate';
import type { Collector } from '../../../collector/app';
import { summarizeLedger } from '../../../collector/domain/ledger';
import { reverseUnpaidCommissions } from '../../../collector/services/commission-fate';
import { runPayout } from '../../../collector/services/payouts';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { serverKey, statsOf } from './fixtures';

const db = useTestDatabase(__filename);

describe('refunds and chargebacks', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await testCollector(db.connection());
  });
  afterAll(() => collector.close());

  const post = (path: string, body: Record<string, unknown>) =>
    request(collector.app).post(path).set(serverKey).send(body);
  const refund = (body: Record<string, unknown>) => post('/v1/refunds', body);

  /** A bound customer's invoice of `amount` plan cents (25% commission), recorded through the API. */
  async function invoiced(amount: number, occurredAt = '2026-01-10T00:00:00Z') {
    const { partnerId } = await createTestPartner(collector);
    const customerId = `cus_${randomUUID()}`;
    await collector.context.models.Customer.create({
      _id: customerId,
      partnerId,
      clickId: randomUUID(),
      boundAt: new Date(),
    });
    const eventId = `inv_${randomUUID()}`;
    const res = await post('/v1/revenue', {
      eventId,
      customerId,
      occurredAt,
      lines: [{ kind: 'plan', amount }],
    }).expect(201);
    return { partnerId, customerId, eventId, commission: res.body.commission as number };
  }

  const entriesOf = (partnerId: string) => collector.context.models.LedgerEntry.find({ partnerId }).lean();
  /** What a payout run does to lock an entry (the payout issue's claim), here directly. */
  const markPaid = (partnerId: string, entryId: string) =>
    collector.context.models.PayoutClaim.create({
      _id: entryId,
      payoutId: `po_${randomUUID()}`,
      partnerId,
      claimedAt: new Date(),
    });

  test('a full refund before payout reverses the whole commission, folded into it', async () => {
    const { partnerId, eventId } = await invoiced(10000);
    const refundId = `re_${randomUUID()}`;
    const res = await refund({ eventId: refundId, refundOf: eventId, kind: 'refund' }).expect(201);
    expect(res.body).toEqual({
      eventId: refundId,
      refundOf: eventId,
      amount: 10000,
      commissionReversed: 2500,
      entry: { id: `reversal:${refundId}`, kind: 'reversal', amount: -2500 },
    });
    const entries = await entriesOf(partnerId);
    const commission = entries.find((entry) => entry.kind === 'commission')!;
    const reversal = entries.find((entry) => entry.kind === 'reversal')!;
    expect(reversal).toMatchObject({
      _id: `reversal:${refundId}`,
      amount: -2500,
      reverses: commission._id,
      eventId: refundId,
    });
    expect(reversal.availableAt.getTime()).toBe(commission.availableAt.getTime());
    const totals = summarizeLedger(entries, new Set(), new Date('2027-01-01'));
    expect(totals).toMatchObject({ balance: 0, reversed: 2500 });
    expect(await statsOf(collector, partnerId)).toMatchObject({ revenue: 0, commission: 0 });
  });

  test('partial refunds reverse pro rata and are capped at the invoice', async () => {
    const { partnerId, eventId } = await invoiced(10000);
    const amounts = [];
    for (const amount of [4000, 4000, 4000, 100]) {
      const res = await refund({ eventId: `re_${randomUUID()}`, refundOf: eventId, amount, kind: 'refund' }).expect(
        201,
      );
      amounts.push([res.body.amount, res.body.commissionReversed]);
    }
    expect(amounts).toEqual([
      [4000, 1000],
      [4000, 1000],
      [2000, 500],
      [0, 0],
    ]);
    const reversals = (await entriesOf(partnerId)).filter((entry) => entry.kind === 'reversal');
    expect(reversals.reduce((sum, entry) => sum + entry.amount, 0)).toBe(-2500);
  });

  test('odd cents: three thirds reverse exactly the commission', async () => {
    const { partnerId, eventId, commission } = await invoiced(999);
    expect(commission).toBe(250);
    for (let i = 0; i < 3; i++)
      await refund({ eventId: `re_${randomUUID()}`, refundOf: eventId, amount: 333, kind: 'refund' }).expect(201);
    const reversals = (await entriesOf(partnerId)).filter((entry) => entry.kind === 'reversal');
    expect(reversals.map((entry) => entry.amount)).toEqual([-83, -84, -83]);
  });

  test('concurrent partial refunds never refund or reverse more than the invoice', async () => {
    const { partnerId, eventId } = await invoiced(10000);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        refund({ eventId: `re_${randomUUID()}`, refundOf: eventId, amount: 3000, kind: 'chargeback' }),
      ),
    );
    expect(answers.every((res) => res.status === 201)).toBe(true);
    expect(answers.reduce((sum, res) => sum + (res.body.amount as number), 0)).toBe(10000);
    const reversals = (await entriesOf(partnerId)).filter((entry) => entry.kind === 'reversal');
    expect(reversals.reduce((sum, entry) => sum + entry.amount, 0)).toBe(-2500);
  });

  test('a refund after payout creates a clawback, available at once', async () => {
    const { partnerId, eventId } = await invoiced(10000, '2025-01-01T00:00:00Z');
    await markPaid(partnerId, `commission:${eventId}`);
    const refundId = `re_${randomUUID()}`;
    const before = Date.now();
    const res = await refund({ eventId: refundId, refundOf: eventId, amount: 5000, kind: 'chargeback' }).expect(201);
    expect(res.body.entry).toEqual({ id: `clawback:${refundId}`, kind: 'clawback', amount: -1250 });
    const clawback = (await entriesOf(partnerId)).find((entry) => entry.kind === 'clawback')!;
    expect(clawback).toMatchObject({ amount: -1250, reverses: `commission:${eventId}`, eventId: refundId });
    expect(clawback.availableAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(clawback.availableAt.getTime()).toBeLessThanOrEqual(Date.now());
    // The next payout absorbs it: the balance is negative until new commissions cover it.
    const totals = summarizeLedger(await entriesOf(partnerId), new Set([`commission:${eventId}`]), new Date());
    expect(totals).toMatchObject({ paid: 2500, balance: -1250 });
  });

  test('with real payout runs: a refund after payout claws back, and the next payout absorbs it', async () => {
    const { partnerId, customerId, eventId } = await invoiced(50000, '2025-01-01T00:00:00Z');
    const first = await runPayout(collector.context, { asOf: new Date(), actor: 'test' });
    expect(first.items.find((item) => item.partnerId === partnerId)?.amount).toBe(12500);
    const refunded = await refund({ eventId: `re_${randomUUID()}`, refundOf: eventId, kind: 'chargeback' }).expect(201);
    expect(refunded.body.entry).toMatchObject({ kind: 'clawback', amount: -12500 });
    await post('/v1/revenue', {
      eventId: `inv_${randomUUID()}`,
      customerId,
      occurredAt: '2025-02-01T00:00:00Z',
      lines: [{ kind: 'plan', amount: 120000 }],
    }).expect(201);
    const second = await runPayout(collector.context, { asOf: new Date(), actor: 'test' });
    expect(second.items.find((item) => item.partnerId === partnerId)?.amount).toBe(30000 - 12500);
  });

  test("after a disabled partner's reversal, a refund takes back nothing more", async () => {
    const { partnerId, eventId } = await invoiced(10000);
    await reverseUnpaidCommissions(collector.context.models, partnerId);
    const res = await refund({ eventId: `re_${randomUUID()}`, refundOf: eventId, kind: 'refund' }).expect(201);
    expect(res.body).toMatchObject({ amount: 10000, commissionReversed: 0, entry: null });
    const total = (await entriesOf(partnerId)).reduce((sum, entry) => sum + entry.amount, 0);
    expect(total).toBe(0);
  });

  test('refunds of revenue without commission are recorded, with no ledger entry', async () => {
    const eventId = `inv_${randomUUID()}`;
    await post('/v1/revenue', { eventId, customerId: 'cus_unbound', lines: [{ kind: 'plan', amount: 500 }] }).expect(
      201,
    );
    const res = await refund({ eventId: `re_${randomUUID()}`, refundOf: eventId, kind: 'refund' }).expect(201);
    expect(res.body).toMatchObject({ amount: 500, commissionReversed: 0, entry: null });
  });

  describe('idempotency on eventId', () => {
    test('the same refund again → 200, same answer, one entry; other content → 409', async () => {
      const { partnerId, eventId } = await invoiced(8000);
      const body = { eventId: `re_${randomUUID()}`, refundOf: eventId, amount: 2000, kind: 'refund' };
      const first = await refund(body).expect(201);
      expect((await refund(body).expect(200)).body).toEqual(first.body);
      await refund({ ...body, amount: 2001 }).expect(409);
      await refund({ ...body, kind: 'chargeback' }).expect(409);
      expect((await entriesOf(partnerId)).filter((entry) => entry.kind === 'reversal')).toHaveLength(1);
    });

    test('a refund event whose slot of one invoice was taken, sent again for another invoice → 409', async () => {
      const first = await invoiced(4000);
      const second = await invoiced(4000);
      const eventId = `re_${randomUUID()}`;
      // As a process that stopped between taking the slot and recording the event leaves it.
      await takeSlot(
        collector.context.models,
        first.eventId,
        4000,
        { eventId, fingerprint: 'f', kind: 'refund' },
        new Date(),
      );
      await refund({ eventId, refundOf: second.eventId, kind: 'refund' }).expect(409);
      expect(await collector.context.models.RefundSlot.exists({ _id: `${second.eventId}#1` })).toBeNull();
    });

    test('a refund eventId that is an invoice id → 409', async () => {
      const { eventId } = await invoiced(1000);
      await refund({ eventId, refundOf: eventId, kind: 'refund' }).expect(409);
    });

    test('concurrent duplicates, on two instances, yield one slot and one entry', async () => {
      const second = await testCollector(db.connection());
      try {
        const { partnerId, eventId } = await invoiced(6000);
        const body = { eventId: `re_${randomUUID()}`, refundOf: eventId, amount: 3000, kind: 'refund' };
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            request(i % 2 ? second.app : collector.app)
              .post('/v1/refunds')
              .set(serverKey)
              .send(body),
          ),
        );
        expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
        expect(answers.filter((res) => res.status === 200)).toHaveLength(9);
        expect(new Set(answers.map((res) => JSON.stringify(res.body))).size).toBe(1);
        expect(
          (await entriesOf(partnerId)).filter((entry) => entry.kind === 'reversal').map((entry) => entry.amount),
        ).toEqual([-750]);
        expect(await collector.context.models.RefundSlot.countDocuments({ invoiceEventId: eventId })).toBe(1);
      } finally {
        await second.close();
      }
    });

    test('crash after the refund event: a replay writes the missing entry', async () => {
      const { partnerId, eventId } = await invoiced(4000);
      const body = { eventId: `re_${randomUUID()}`, refundOf: eventId, kind: 'refund' };
      await refund(body).expect(201);
      await collector.context.models.LedgerEntry.deleteOne({ _id: `reversal:${body.eventId}` });
      await refund(body).expect(200);
      expect(
        (await entriesOf(partnerId)).filter((entry) => entry.kind === 'reversal').map((entry) => entry.amount),
      ).toEqual([-1000]);
    });
  });

  describe('bad input', () => {
    test('an unknown invoice → 422 naming refundOf', async () => {
      const res = await refund({ eventId: 're-x', refundOf: 'inv-none', kind: 'refund' }).expect(422);
      expect(res.body).toMatchObject({ type: '/problems/unknown-invoice', errors: [{ field: 'refundOf' }] });
    });

    test('a refund of a refund → 422', async () => {
      const { eventId } = await invoiced(1000);
      const refundId = `re_${randomUUID()}`;
      await refund({ eventId: refundId, refundOf: eventId, amount: 10, kind: 'refund' }).expect(201);
      await refund({ eventId: `re_${randomUUID()}`, refundOf: refundId, kind: 'refund' }).expect(422);
    });

    test.each([
      ['an unknown kind', { kind: 'return' }, 'kind'],
      ['a zero amount', { amount: 0 }, 'amount'],
      ['a fractional amount', { amount: 1.5 }, 'amount'],
      ['an unknown field', { reason: 'x' }, '(body)'],
      ['no refundOf', { refundOf: undefined }, 'refundOf'],
    ])('%s → 400', async (_name, overrides, field) => {
      const res = await refund({ eventId: 're-bad', refundOf: 'inv-1', kind: 'refund', ...overrides }).expect(400);
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    test('no key → 401', async () => {
      await request(collector.app)
        .post('/v1/refunds')
        .send({ eventId: 'a', refundOf: 'b', kind: 'refund' })
        .expect(401);
    });
  });
});
