// Attribution health: each customer's first signup counted once, by source (SDK cookie, restored
// copy, collector's cookie, redirect, coupon, history) or by reason; the shares add up to 100%.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { utcDay } from '../../../collector/domain/days';
import { testAdminKey, testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, referralOf, serverKey } from './fixtures';

const db = useTestDatabase(__filename);
const admin = { Authorization: `Bearer ${testAdminKey}` };

describe('attribution health report', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await testCollector(db.connection());
  });
  afterAll(() => collector.close());

  const signup = (body: Record<string, unknown>) =>
    request(collector.app)
      .post('/v1/signups')
      .set(serverKey)
      .send({ customerId: `cus_${randomUUID()}`, ...body });
  async function click(partnerId: string, vid = randomUUID()) {
    const body = clickBody(partnerId, { vid });
    await request(collector.app).post('/v1/clicks').set('User-Agent', browserUa).send(body).expect(202);
    return body;
  }
  const report = (query = '') => request(collector.app).get(`/v1/admin/reports/attribution${query}`).set(admin);

  test('empty period: zero signups and zero shares', async () => {
    const res = await report('?from=2020-01-01&to=2020-01-31').expect(200);
    expect(res.body).toMatchObject({ signups: 0, attributed: { count: 0, share: 0 }, byReason: [] });
    expect(res.body.bySource.every((row: { share: number }) => row.share === 0)).toBe(true);
  });

  test('counts every method and source and every reason once; the shares add up to 100%', async () => {
    const live = await createTestPartner(collector);
    const frozen = await createTestPartner(collector, { status: 'frozen' });
    // sdk ×2, restored, server, redirect, coupon, history; not attributed: no_referral ×2, partner_inactive.
    await signup({ referral: referralOf(await click(live.partnerId)) }).expect(201);
    await signup({ referral: referralOf(await click(live.partnerId)) }).expect(201);
    await signup({ referral: { ...referralOf(await click(live.partnerId)), p: 'r' } }).expect(201);
    await signup({ referral: { ...referralOf(await click(live.partnerId)), p: 's' } }).expect(201);
    const redirect = await request(collector.app).get(`/r/${live.partnerId}`).set('User-Agent', browserUa);
    const cid = /a_cid=([0-9a-f-]{36})/.exec(redirect.headers.location!)![1]!;
    await signup({ referral: { v: 1, aid: live.partnerId, cid } }).expect(201);
    const code = `Health${randomUUID().slice(0, 6)}`;
    await request(collector.app)
      .post('/v1/admin/coupons')
      .set(admin)
      .send({ code, partnerId: live.partnerId })
      .expect(201);
    await signup({ couponCode: code }).expect(201);
    const vid = randomUUID();
    const dead = await click(frozen.partnerId, vid);
    await click(live.partnerId, vid);
    await signup({ referral: referralOf(dead) }).expect(201);
    await signup({}).expect(200);
    await signup({}).expect(200);
    await signup({ referral: referralOf(await click(frozen.partnerId)) }).expect(200);
    // A bound customer signing up again adds nothing.
    const customerId = `cus_${randomUUID()}`;
    await signup({ customerId, couponCode: code }).expect(201);
    await signup({ customerId, couponCode: code }).expect(200);

    const today = utcDay(new Date());
    const res = await report(`?from=${today}&to=${today}`).expect(200);
    const body = res.body as {
      signups: number;
      attributed: { count: number; share: number };
      notAttributed: { count: number; share: number };
      bySource: Array<{ source: string; method: string; count: number; share: number }>;
      byReason: Array<{ reason: string; count: number; share: number }>;
    };
    const counts = Object.fromEntries(body.bySource.map((row) => [row.source, row.count]));
    expect(counts).toEqual({ sdk: 2, restored: 1, server: 1, redirect: 1, coupon: 2, history: 1 });
    expect(body.bySource.find((row) => row.source === 'restored')!.method).toBe('link');
    expect(body.byReason).toEqual([
      { reason: 'no_referral', count: 2, share: expect.any(Number) },
      { reason: 'partner_inactive', count: 1, share: expect.any(Number) },
    ]);
    expect(body.signups).toBe(11);
    expect(body.attributed.count).toBe(8);
    expect(body.notAttributed.count).toBe(3);
    // Hundredths of a percent, summed as integers: exactly 100%.
    const hundredths = (share: number) => Math.round(share * 100);
    const all = [...body.bySource, ...body.byReason].reduce((sum, row) => sum + hundredths(row.share), 0);
    expect(all).toBe(10_000);
    expect(hundredths(body.attributed.share) + hundredths(body.notAttributed.share)).toBe(10_000);
    // 2 of 11 = 18.18…%: rounded down, or up by the one hundredth that makes the sum whole.
    expect([18.18, 18.19]).toContain(body.bySource.find((row) => row.source === 'sdk')!.share);
  });

  test('bad periods are 400', async () => {
    await report('?from=2026-13-01').expect(400);
    await report('?from=2026-02-01&to=2026-01-01').expect(400);
  });
});
