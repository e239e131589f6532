// Performance views (GET /v1/me/performance[.csv]): counters per banner, sub-ID, landing page and
// coupon over a period, with conversion and EPC, only ever the caller's own.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { utcDay } from '../../collector/domain/days';
import { testCollector, testServerKey } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { createTestPartner, type TestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
let a: TestPartner;
let b: TestPartner;

beforeAll(async () => {
  collector = await testCollector(db.connection());
  [a, b] = [await createTestPartner(collector), await createTestPartner(collector)];
});
afterAll(() => collector.close());

const api = () => request(collector.app);
const as = (partner: TestPartner) => ({ Authorization: `Bearer ${partner.token}` });
const server = { Authorization: `Bearer ${testServerKey}` };
const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

async function click(partner: TestPartner, extra: Record<string, string>, vid = randomUUID()) {
  const body = { aid: partner.partnerId, cid: randomUUID(), vid, url: 'http://localhost:8080/pricing?x=1', ...extra };
  await api().post('/v1/clicks').set('User-Agent', ua).send(body).expect(202);
  return body;
}

beforeAll(async () => {
  // Partner A: three clicks on "spring" from two visitors (data1 yt), one on no banner (data1 blog),
  // one signup from "spring" that pays 10000 (2500 commission).
  const vid = randomUUID();
  const first = await click(a, { bid: 'spring', data1: 'yt', data2: 'v1' }, vid);
  await click(a, { bid: 'spring', data1: 'yt', data2: 'v1' }, vid);
  await click(a, { bid: 'spring', data1: 'yt', data2: 'v2' });
  await click(a, { data1: 'blog', url: 'http://localhost:8080/features' });
  const referral = { v: 1, aid: a.partnerId, bid: 'spring', cid: first.cid, vid, ts: Date.now() };
  await api()
    .post('/v1/signups')
    .set(server)
    .send({ customerId: `c-${randomUUID()}`, referral })
    .expect(201);
  const customerId = (await collector.context.models.Customer.findOne({ partnerId: a.partnerId }).lean())!._id;
  await api()
    .post('/v1/revenue')
    .set(server)
    .send({ eventId: `inv-${randomUUID()}`, customerId, lines: [{ kind: 'plan', amount: 10000 }] })
    .expect(201);
  // Partner B has traffic of its own, never shown to A.
  await click(b, { bid: 'b-secret', data1: 'b-secret' });
  await collector.context.tracking.flush();
});

describe('GET /v1/me/performance', () => {
  it('per banner: counters with conversion (basis points) and EPC (minor units per 100 clicks)', async () => {
    const res = await api().get('/v1/me/performance').set(as(a)).expect(200);
    expect(res.body).toMatchObject({ by: 'banner', currency: 'USD', to: utcDay(new Date()) });
    expect(res.body.rows).toEqual([
      {
        key: 'spring',
        clicks: 3,
        uniqueClicks: 2,
        signups: 1,
        customers: 1,
        revenue: 10000,
        commission: 2500,
        conversionBasisPoints: 5000,
        epc: 83333, // 2500 × 100 / 3 = 83333.33…
      },
      {
        key: null,
        clicks: 1,
        uniqueClicks: 1,
        signups: 0,
        customers: 0,
        revenue: 0,
        commission: 0,
        conversionBasisPoints: 0,
        epc: 0,
      },
    ]);
    expect(res.body.total).toMatchObject({
      clicks: 4,
      uniqueClicks: 3,
      signups: 1,
      conversionBasisPoints: 3333,
      epc: 62500,
    });
  });

  it('per data1, data2 and landing page; never another partner’s rows', async () => {
    const keys = async (by: string) =>
      (
        (await api().get('/v1/me/performance').query({ by }).set(as(a)).expect(200)).body.rows as Array<{ key: string }>
      ).map((row) => row.key);
    expect(await keys('data1')).toEqual(['yt', 'blog']);
    expect(await keys('data2')).toEqual(['v1', null, 'v2']); // by clicks, then key
    expect(await keys('page')).toEqual(['http://localhost:8080/pricing', 'http://localhost:8080/features']);
    expect(await keys('coupon')).toEqual([]);
    const bRows = await api().get('/v1/me/performance').query({ by: 'data1' }).set(as(b)).expect(200);
    expect(bRows.body.rows.map((row: { key: string }) => row.key)).toEqual(['b-secret']);
  });

  it('a period without traffic has rows of none and null ratios in the total', async () => {
    const res = await api()
      .get('/v1/me/performance')
      .query({ from: '2025-01-01', to: '2025-01-31' })
      .set(as(a))
      .expect(200);
    expect(res.body).toMatchObject({ from: '2025-01-01', to: '2025-01-31', rows: [] });
    expect(res.body.total).toMatchObject({ clicks: 0, conversionBasisPoints: null, epc: null });
  });

  it('refuses an unknown grouping or a bad period with 400, and anonymous callers with 401', async () => {
    const bad = await api().get('/v1/me/performance').query({ by: 'email' }).set(as(a)).expect(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['by']);
    await api().get('/v1/me/performance').query({ from: '2026-02-30' }).set(as(a)).expect(400);
    await api().get('/v1/me/performance.csv').expect(401);
  });
});

describe('GET /v1/me/performance.csv', () => {
  it('the same rows as CSV, named by grouping and period', async () => {
    const res = await api()
      .get('/v1/me/performance.csv')
      .query({ by: 'data1', from: '2025-12-01' })
      .set(as(a))
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('ashop-performance-data1-2025-12-01-2025-12-30.csv');
    const today = await api().get('/v1/me/performance.csv').query({ by: 'data1' }).set(as(a)).expect(200);
    expect(today.text.split('\r\n')).toEqual([
      'data1,clicks,unique_clicks,signups,paying_customers,conversion_rate_percent,revenue,earnings,epc_per_100_clicks,currency',
      'yt,3,2,1,1,50.00,100.00,25.00,833.33,USD',
      'blog,1,1,0,0,0.00,0.00,0.00,0.00,USD',
      '(total),4,3,1,1,33.33,100.00,25.00,625.00,USD',
      '',
    ]);
  });
});
