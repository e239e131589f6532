// Coupon codes: creation and uniqueness in any case, partner requests and the operator's decision,
// the checkout's check, expiry, a frozen partner's code, precedence against a link, browser
// (signed) vs server signups, lifelong binding, signups and customers per code, and the key-paged lists.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { signupSignature } from '../../../collector/domain/signup-signature';
import { allCoupons } from '../../../collector/services/coupons';
import { testAdminKey, testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, referralOf, serverKey } from './fixtures';

const db = useTestDatabase(__filename);
const admin = { Authorization: `Bearer ${testAdminKey}` };
const day = 86_400_000;
let n = 0;
const freshCode = (prefix = 'Save') => `${prefix}${++n}${randomUUID().slice(0, 6)}`;

describe('coupon codes', () => {
  let collector: Collector;
  let linkFirst: Collector;

  beforeAll(async () => {
    collector = await testCollector(db.connection());
    linkFirst = await testCollector(db.connection(), { ASHOP_COUPON_PRECEDENCE: 'link' });
  });
  afterAll(async () => {
    await collector.close();
    await linkFirst.close();
  });

  const create = (body: Record<string, unknown>) =>
    request(collector.app).post('/v1/admin/coupons').set(admin).send(body);
  const check = (code: string) => request(collector.app).get(`/v1/coupons/${code}`).set(serverKey);
  const signup = (app: Collector, body: Record<string, unknown>) =>
    request(app.app)
      .post('/v1/signups')
      .set(serverKey)
      .send({ customerId: `cus_${randomUUID()}`, ...body });
  async function click(partnerId: string) {
    const body = clickBody(partnerId);
    await request(collector.app).post('/v1/clicks').set('User-Agent', browserUa).send(body).expect(202);
    return body;
  }

  test('an operator creates a code (201); it is unique in any case; bad codes are 400', async () => {
    const { partnerId } = await createTestPartner(collector);
    const code = freshCode();
    const res = await create({
      code,
      partnerId,
      discount: '20% off the first 3 months',
      description: 'Podcast',
    }).expect(201);
    expect(res.body).toMatchObject({ code, partnerId, status: 'active', discount: '20% off the first 3 months' });
    const other = await createTestPartner(collector);
    const taken = await create({ code: code.toUpperCase(), partnerId: other.partnerId }).expect(409);
    expect(taken.body.type).toBe('/problems/coupon-exists');
    for (const bad of ['ab', 'x'.repeat(33), 'no spaces', 'ümlaut'])
      expect((await create({ code: bad, partnerId }).expect(400)).body.errors[0].field).toBe('code');
    await create({ code: freshCode(), partnerId: 'nobody-here' }).expect(404);
  });

  test('concurrent creations of one code in different cases: exactly one wins', async () => {
    const { partnerId } = await createTestPartner(collector);
    const code = freshCode('race');
    const results = await Promise.all(
      [code, code.toUpperCase(), code.toLowerCase(), code].map((spelling) => create({ code: spelling, partnerId })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  test('the checkout check: valid with partner and discount; unknown, expired, deactivated, frozen partner', async () => {
    const live = await createTestPartner(collector);
    const frozen = await createTestPartner(collector);
    const good = freshCode();
    const expired = freshCode();
    const off = freshCode();
    const frozenCode = freshCode();
    await create({ code: good, partnerId: live.partnerId, discount: '10% off' }).expect(201);
    await create({ code: expired, partnerId: live.partnerId, endsAt: new Date(Date.now() - day).toISOString() }).expect(
      201,
    );
    await create({ code: off, partnerId: live.partnerId }).expect(201);
    await request(collector.app).post(`/v1/admin/coupons/${off}/deactivate`).set(admin).expect(200);
    await create({ code: frozenCode, partnerId: frozen.partnerId }).expect(201);
    await collector.context.models.Partner.updateOne({ _id: frozen.partnerId }, { $set: { status: 'frozen' } });

    expect((await check(good.toLowerCase()).expect(200)).body).toEqual({
      valid: true,
      partnerId: live.partnerId,
      discount: '10% off',
    });
    expect((await check('NoSuchCode').expect(200)).body).toEqual({ valid: false, reason: 'unknown_coupon' });
    expect((await check('a b').expect(200)).body).toEqual({ valid: false, reason: 'unknown_coupon' });
    expect((await check(expired).expect(200)).body).toEqual({ valid: false, reason: 'coupon_expired' });
    expect((await check(off).expect(200)).body).toEqual({ valid: false, reason: 'coupon_inactive' });
    expect((await check(frozenCode).expect(200)).body).toEqual({ valid: false, reason: 'partner_inactive' });
    await request(collector.app).get(`/v1/coupons/${good}`).expect(401);
  });

  test('a signup with a valid code binds the customer for life (method coupon); bad codes give their reason', async () => {
    const { partnerId } = await createTestPartner(collector);
    const code = freshCode();
    await create({ code, partnerId }).expect(201);
    const customerId = `cus_${randomUUID()}`;
    const res = await signup(collector, { customerId, couponCode: code.toUpperCase() }).expect(201);
    expect(res.body).toEqual({ attributed: true, partnerId, method: 'coupon' });
    expect(await collector.context.models.Customer.findById(customerId).lean()).toMatchObject({
      partnerId,
      method: 'coupon',
      couponCode: code.toLowerCase(),
    });
    // Bound for life: a later signup with another partner's link changes nothing.
    const other = await createTestPartner(collector);
    const later = await signup(collector, { customerId, referral: referralOf(await click(other.partnerId)) });
    expect(later.body).toEqual({ attributed: false, reason: 'already_bound' });

    expect((await signup(collector, { couponCode: 'nope-nope' }).expect(200)).body).toEqual({
      attributed: false,
      reason: 'unknown_coupon',
    });
    expect((await signup(collector, { couponCode: '!!' }).expect(200)).body.reason).toBe('unknown_coupon');
  });

  test('expiry is judged at the signup time (imports with occurredAt before the end attribute)', async () => {
    const { partnerId } = await createTestPartner(collector);
    const code = freshCode();
    const endsAt = new Date(Date.now() - 2 * day);
    await create({ code, partnerId, endsAt: endsAt.toISOString() }).expect(201);
    expect((await signup(collector, { couponCode: code }).expect(200)).body.reason).toBe('coupon_expired');
    const before = new Date(endsAt.getTime() - day).toISOString();
    expect((await signup(collector, { couponCode: code, occurredAt: before }).expect(201)).body.partnerId).toBe(
      partnerId,
    );
  });

  test("a frozen partner's code does not attribute; a link still does", async () => {
    const frozen = await createTestPartner(collector);
    const code = freshCode();
    await create({ code, partnerId: frozen.partnerId }).expect(201);
    await request(collector.app)
      .post(`/v1/admin/partners/${frozen.partnerId}/status`)
      .set(admin)
      .send({ status: 'frozen', reason: 'review' })
      .expect(200);
    expect((await signup(collector, { couponCode: code }).expect(200)).body.reason).toBe('partner_inactive');
    const live = await createTestPartner(collector);
    const res = await signup(collector, { couponCode: code, referral: referralOf(await click(live.partnerId)) });
    expect(res.body).toEqual({ attributed: true, partnerId: live.partnerId, method: 'link' });
  });

  test('precedence: the code wins by default, the link with ASHOP_COUPON_PRECEDENCE=link', async () => {
    const byCode = await createTestPartner(collector);
    const byLink = await createTestPartner(collector);
    const code = freshCode();
    await create({ code, partnerId: byCode.partnerId }).expect(201);
    const referral = referralOf(await click(byLink.partnerId));
    expect((await signup(collector, { couponCode: code, referral }).expect(201)).body).toEqual({
      attributed: true,
      partnerId: byCode.partnerId,
      method: 'coupon',
    });
    expect((await signup(linkFirst, { couponCode: code, referral }).expect(201)).body).toEqual({
      attributed: true,
      partnerId: byLink.partnerId,
      method: 'link',
    });
  });

  test("a partner's own code is a self-referral", async () => {
    const partner = await createTestPartner(collector);
    const code = freshCode();
    await create({ code, partnerId: partner.partnerId }).expect(201);
    const res = await signup(collector, { couponCode: code, email: partner.email.toUpperCase() });
    expect(res.body).toEqual({ attributed: false, reason: 'self_referral' });
  });

  test('from the browser the code counts only inside the signed payload', async () => {
    const { partnerId } = await createTestPartner(collector);
    const code = freshCode();
    await create({ code, partnerId }).expect(201);
    const secret = collector.context.config.signupSecret;
    const browser = (body: Record<string, unknown>) =>
      request(collector.app).post('/v1/signups').set('Content-Type', 'text/plain').send(JSON.stringify(body));
    const customerId = `cus_${randomUUID()}`;
    // The customer's signature alone does not cover a code a visitor added.
    const unsigned = await browser({ customerId, couponCode: code, signature: signupSignature(secret, customerId) });
    expect(unsigned.status).toBe(401);
    expect(await collector.context.models.Customer.exists({ _id: customerId })).toBeNull();
    const signed = await browser({
      customerId,
      couponCode: code,
      signature: signupSignature(secret, customerId, undefined, code),
    }).expect(201);
    expect(signed.body).toEqual({ attributed: true, partnerId, method: 'coupon' });
  });

  test('partners request codes (pending, not usable); an operator approves or rejects; one decision wins', async () => {
    const partner = await createTestPartner(collector);
    const asPartner = { Authorization: `Bearer ${partner.token}` };
    const code = freshCode('Pod');
    const requested = await request(collector.app)
      .post('/v1/me/coupons')
      .set(asPartner)
      .send({ code, discount: '1 month free' })
      .expect(201);
    expect(requested.body).toMatchObject({ code, partnerId: partner.partnerId, status: 'pending' });
    expect((await check(code).expect(200)).body.reason).toBe('unknown_coupon');
    // A partner cannot request a code for someone else (no partnerId field) or activate it.
    await request(collector.app)
      .post('/v1/me/coupons')
      .set(asPartner)
      .send({ code: freshCode(), partnerId: 'other' })
      .expect(400);
    const decisions = await Promise.all([
      request(collector.app).post(`/v1/admin/coupons/${code}/approve`).set(admin).send({}),
      request(collector.app).post(`/v1/admin/coupons/${code}/reject`).set(admin).send({ reason: 'no' }),
    ]);
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
    const approved = decisions.find((d) => d.status === 200)!.body.status === 'active';
    expect((await check(code).expect(200)).body.valid).toBe(approved);

    const rejected = freshCode('Nope');
    await request(collector.app).post('/v1/me/coupons').set(asPartner).send({ code: rejected }).expect(201);
    await request(collector.app)
      .post(`/v1/admin/coupons/${rejected}/reject`)
      .set(admin)
      .send({ reason: 'too generic' })
      .expect(200);
    // A rejected request frees the code.
    await request(collector.app).post('/v1/me/coupons').set(asPartner).send({ code: rejected }).expect(201);
  });

  test('lists by partner with signups and customers per code (JSON and CSV); edits', async () => {
    const partner = await createTestPartner(collector);
    const code = freshCode('List');
    await create({ code, partnerId: partner.partnerId }).expect(201);
    const customerId = `cus_${randomUUID()}`;
    await signup(collector, { customerId, couponCode: code }).expect(201);
    await request(collector.app)
      .post('/v1/revenue')
      .set(serverKey)
      .send({ eventId: `inv_${randomUUID()}`, customerId, lines: [{ kind: 'plan', amount: 1000 }] })
      .expect(201);

    const list = await request(collector.app)
      .get(`/v1/admin/coupons?partnerId=${partner.partnerId}`)
      .set(admin)
      .expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ code, signups: 1, customers: 1 })]);
    const csv = await request(collector.app)
      .get(`/v1/admin/coupons?partnerId=${partner.partnerId}&format=csv`)
      .set(admin)
      .expect(200);
    expect(csv.text.split(/\r?\n/)[1]).toMatch(new RegExp(`^${code},${partner.partnerId},active,,,1,1`));
    const mine = await request(collector.app)
      .get('/v1/me/coupons')
      .set({ Authorization: `Bearer ${partner.token}` })
      .expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ code, signups: 1, customers: 1 })]);
    expect(mine.body.items[0].createdBy).toBeUndefined();
    const stats = await request(collector.app)
      .get('/v1/me/stats')
      .set({ Authorization: `Bearer ${partner.token}` })
      .expect(200);
    expect(stats.body.totals).toMatchObject({ signups: 1, customers: 1 });
    expect(stats.body.byCoupon).toEqual([
      expect.objectContaining({ code: code.toLowerCase(), signups: 1, customers: 1 }),
    ]);
    expect(stats.body.byBanner).toEqual([]);

    const edited = await request(collector.app)
      .patch(`/v1/admin/coupons/${code.toLowerCase()}`)
      .set(admin)
      .send({ discount: '15% off', endsAt: '2030-01-01T00:00:00Z' })
      .expect(200);
    expect(edited.body).toMatchObject({ code, discount: '15% off', endsAt: '2030-01-01T00:00:00.000Z' });
    const cleared = await request(collector.app)
      .patch(`/v1/admin/coupons/${code}`)
      .set(admin)
      .send({ endsAt: null })
      .expect(200);
    expect(cleared.body.endsAt).toBeNull();
    await request(collector.app).patch('/v1/admin/coupons/NoSuchCode').set(admin).send({ discount: 'x' }).expect(404);
  });

  test('the lists are key-paged by code (limit, cursor → nextCursor): each code once, in order; the CSV has every code', async () => {
    const partner = await createTestPartner(collector);
    const asPartner = { Authorization: `Bearer ${partner.token}` };
    const codes = Array.from({ length: 5 }, () => freshCode('Page'));
    // Created in reverse: pages follow the code (in any case), not the creation.
    for (const code of [...codes].reverse()) await create({ code, partnerId: partner.partnerId }).expect(201);
    const byKey = [...codes].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    const walk = async (path: string, auth: Record<string, string>) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await request(collector.app).get(`${path}limit=2${query}`).set(auth).expect(200);
        seen.push(...(res.body.items as Array<{ code: string }>).map((item) => item.code));
        cursor = res.body.nextCursor as string | null;
        pages += 1;
      } while (cursor);
      return { seen, pages };
    };
    expect(await walk(`/v1/admin/coupons?partnerId=${partner.partnerId}&`, admin)).toEqual({ seen: byKey, pages: 3 });
    expect(await walk('/v1/me/coupons?', asPartner)).toEqual({ seen: byKey, pages: 3 });
    const wrong = await request(collector.app).get('/v1/me/coupons?cursor=nonsense').set(asPartner).expect(400);
    expect(wrong.body.errors[0].field).toBe('cursor');

    const csv = await request(collector.app)
      .get(`/v1/admin/coupons?partnerId=${partner.partnerId}&format=csv&limit=1`)
      .set(admin)
      .expect(200);
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe('code,partnerId,status,endsAt,discount,signups,customers');
    expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual(byKey);
    const pages: string[][] = [];
    for await (const page of allCoupons(collector.context, { partnerId: partner.partnerId }, 2))
      pages.push(page.map((coupon) => coupon.code));
    expect(pages).toEqual([byKey.slice(0, 2), byKey.slice(2, 4), byKey.slice(4)]);
  });
});
