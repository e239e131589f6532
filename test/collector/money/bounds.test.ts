// Bounds that keep sums exact and dates meaningful: each answered with a clear 400.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { MAX_AMOUNT } from '../../../collector/domain/bounds';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner, day } from '../../support/partners';
import { addCommission } from '../../support/partners';
import { admin, server } from './support';

const db = useTestDatabase(__filename);
let collector: Collector;
beforeAll(async () => {
  collector = await testCollector(db.connection());
});
afterAll(() => collector.close());
const api = () => request(collector.app);

const invoice = (lines: Array<{ kind: string; amount: number }>, occurredAt?: string) =>
  api()
    .post('/v1/revenue')
    .set(server)
    .send({ eventId: `inv_${randomUUID()}`, customerId: 'cus_nobody', lines, ...(occurredAt ? { occurredAt } : {}) });
const fieldOf = (res: { body: { errors?: Array<{ field: string }> } }) => res.body.errors?.[0]?.field;

describe('amounts', () => {
  it(`takes lines and invoices up to ${MAX_AMOUNT} minor units, and refuses more with 400`, async () => {
    await invoice([{ kind: 'plan', amount: MAX_AMOUNT }]).expect(201);
    expect(fieldOf(await invoice([{ kind: 'plan', amount: 2 ** 53 }]).expect(400))).toBe('lines.0.amount');
    await invoice([{ kind: 'plan', amount: MAX_AMOUNT + 1 }]).expect(400);
    const split = await invoice([
      { kind: 'plan', amount: MAX_AMOUNT },
      { kind: 'app', amount: 1 },
    ]).expect(400);
    expect(split.body.errors[0]).toMatchObject({
      field: 'lines',
      message: expect.stringContaining('most one invoice'),
    });
    await api()
      .post('/v1/refunds')
      .set(server)
      .send({ eventId: 're_big', refundOf: 'x', kind: 'refund', amount: MAX_AMOUNT + 1 })
      .expect(400);
  });
});

describe('occurredAt', () => {
  const cases = ['0000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '9999-12-31T00:00:00Z'];
  it.each(cases)('refuses %s on invoices, signups and click imports', async (when) => {
    expect(fieldOf(await invoice([{ kind: 'plan', amount: 100 }], when).expect(400))).toBe('occurredAt');
    const signup = await api()
      .post('/v1/signups')
      .set(server)
      .send({ customerId: 'cus_x', occurredAt: when })
      .expect(400);
    expect(fieldOf(signup)).toBe('occurredAt');
    const click = await api()
      .post('/v1/clicks')
      .set(server)
      .send({ aid: 'someone', cid: randomUUID(), vid: randomUUID(), url: 'https://ashop.example/', occurredAt: when })
      .expect(400);
    expect(fieldOf(click)).toBe('occurredAt');
  });

  it('allows five minutes of clock skew, not ten', async () => {
    await invoice([{ kind: 'plan', amount: 100 }], new Date(Date.now() + 60_000).toISOString()).expect(201);
    await invoice([{ kind: 'plan', amount: 100 }], new Date(Date.now() + 10 * 60_000).toISOString()).expect(400);
    await invoice([{ kind: 'plan', amount: 100 }], '2000-01-01T00:00:00Z').expect(201);
  });
});

describe('report ranges', () => {
  it('refuses days before 2000 or more than a year ahead on stats and reports', async () => {
    const partner = await createTestPartner(collector);
    const me = { Authorization: `Bearer ${partner.token}` };
    const far = await api().get('/v1/me/stats?from=9999-12-31').set(me).expect(400);
    expect(fieldOf(far)).toBe('from');
    await api().get('/v1/me/stats?from=1999-12-01&to=1999-12-31').set(me).expect(400);
    await api().get('/v1/me/stats?from=2020-01-01&to=2020-01-31').set(me).expect(200);
    await api().get('/v1/admin/reports/partners?from=9999-01-01&to=9999-01-02').set(admin).expect(400);
  });
});

describe('payout asOf', () => {
  it('refuses a run dated in the future; a preview may forecast it, marked so, locking nothing', async () => {
    const partner = await createTestPartner(collector);
    // Invoiced today: payable only after the hold, so a run "next year" would skip it.
    await addCommission(collector, partner.partnerId, 50000, new Date());
    const nextYear = new Date(Date.now() + 365 * day).toISOString();
    const refused = await api().post('/v1/admin/payouts').set(admin).send({ asOf: nextYear }).expect(400);
    expect(refused.body.errors[0].field).toBe('asOf');
    const forecast = await api()
      .post('/v1/admin/payouts')
      .set(admin)
      .send({ asOf: nextYear, preview: true })
      .expect(200);
    expect(forecast.body).toMatchObject({ payoutId: null, forecast: true });
    expect(forecast.body.items).toEqual([expect.objectContaining({ partnerId: partner.partnerId, amount: 50000 })]);
    expect(await collector.context.models.PayoutClaim.countDocuments()).toBe(0);
    const now = await api().post('/v1/admin/payouts').set(admin).send({}).expect(200);
    expect(now.body).toMatchObject({ payoutId: null, forecast: false, items: [] });
    expect(await collector.context.models.Payout.countDocuments()).toBe(0);
  });
});
