// The server's click history decides signups: a dead, unknown or disabled partner's click never
// blocks a live one (first and last models), the history survives a lost cookie, a redirect's click
// joins its visitor, and the collector's same-site answer never leaves a dead referral behind.
// Also server imports with and without userAgent.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { readVisitorHistory } from '../../../collector/services/visitor-history';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, referralOf, serverKey, statsOf } from './fixtures';

const db = useTestDatabase(__filename);
const day = 86_400_000;

describe('visitor history', () => {
  let first: Collector;
  let last: Collector;

  beforeAll(async () => {
    first = await testCollector(db.connection());
    last = await testCollector(db.connection(), { ASHOP_ATTRIBUTION: 'last' });
  });
  afterAll(async () => {
    await first.close();
    await last.close();
  });

  /** A browser click (through the site's proxy when `sameSite`), carrying `cookie` as ashop_ref. */
  async function click(
    collector: Collector,
    partnerId: string,
    vid: string,
    options: { sameSite?: boolean; cookie?: string; userAgent?: string } = {},
  ) {
    const body = clickBody(partnerId, { vid });
    const req = request(collector.app)
      .post('/v1/clicks')
      .set('User-Agent', options.userAgent ?? browserUa)
      .set(options.sameSite ? { 'X-Forwarded-Host': 'localhost:8080' } : {});
    if (options.cookie !== undefined) req.set('Cookie', `other=1; ashop_ref=${options.cookie}`);
    const res = await req.send(body).expect(202);
    const set = (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0];
    return { body, setCookie: set };
  }
  const signup = (collector: Collector, referral: unknown) =>
    request(collector.app)
      .post('/v1/signups')
      .set(serverKey)
      .send({ customerId: `cus_${randomUUID()}`, referral });
  const cookieOf = (referral: object) => encodeURIComponent(JSON.stringify(referral));
  const decodeSet = (header: string) => JSON.parse(decodeURIComponent(/^ashop_ref=([^;]*)/.exec(header)![1]!));

  describe.each([
    ['first', () => first],
    ['last', () => last],
  ] as const)('%s model: a dead partner clicked before a live one', (_model, collector) => {
    test.each(['frozen', 'disabled', 'unknown'] as const)('%s: the live partner gets the customer', async (status) => {
      const dead =
        status === 'unknown'
          ? `nobody${randomUUID().slice(0, 8)}`
          : (await createTestPartner(collector(), { status })).partnerId;
      const live = await createTestPartner(collector());
      const vid = randomUUID();
      // The cookie still names the dead click (an SDK in first mode, or no same-site collector to clear it).
      const deadClick = await click(collector(), dead, vid);
      await click(collector(), live.partnerId, vid);
      const res = await signup(collector(), referralOf(deadClick.body)).expect(201);
      expect(res.body).toEqual({ attributed: true, partnerId: live.partnerId, method: 'history' });
    });
  });

  test('first model: the first counted click of a live partner wins; last model: the last', async () => {
    const a = await createTestPartner(first);
    const b = await createTestPartner(first);
    const vid = randomUUID();
    const clickA = await click(first, a.partnerId, vid);
    const clickB = await click(first, b.partnerId, vid);
    // The cookie kept A (first) or B (last); either way the history is the same.
    expect((await signup(first, referralOf(clickB.body)).expect(201)).body).toEqual({
      attributed: true,
      partnerId: a.partnerId,
      method: 'history',
    });
    expect((await signup(first, referralOf(clickA.body)).expect(201)).body.method).toBe('link');
    expect((await signup(last, referralOf(clickA.body)).expect(201)).body).toEqual({
      attributed: true,
      partnerId: b.partnerId,
      method: 'history',
    });
  });

  test('a partner disabled after the click no longer wins: the other live partner does', async () => {
    const a = await createTestPartner(first);
    const b = await createTestPartner(first);
    const vid = randomUUID();
    const clickA = await click(first, a.partnerId, vid);
    await click(first, b.partnerId, vid);
    await first.context.models.Partner.updateOne({ _id: a.partnerId }, { $set: { status: 'disabled' } });
    expect((await signup(first, referralOf(clickA.body)).expect(201)).body.partnerId).toBe(b.partnerId);
  });

  test('after the cookie was lost: the visitor history attributes a referral whose own click is gone', async () => {
    const live = await createTestPartner(first);
    const vid = randomUUID();
    await click(first, live.partnerId, vid);
    // The referral's own click is unknown (never recorded, or purged): its visitor's history decides.
    const lost = { v: 1, aid: live.partnerId, cid: randomUUID(), vid, ts: Date.now() };
    expect((await signup(first, lost).expect(201)).body).toEqual({
      attributed: true,
      partnerId: live.partnerId,
      method: 'history',
    });
    const customer = await first.context.models.Customer.findOne({ partnerId: live.partnerId }).lean();
    expect(customer).toMatchObject({ method: 'history' });
  });

  test('without history (older cookies) the referral is judged by its own click, with the documented reasons', async () => {
    const frozen = await createTestPartner(first, { status: 'frozen' });
    const dead = await click(first, frozen.partnerId, randomUUID());
    expect((await signup(first, { ...referralOf(dead.body), vid: undefined }).expect(200)).body).toEqual({
      attributed: false,
      reason: 'partner_inactive',
    });
    const live = await createTestPartner(first);
    const ok = await click(first, live.partnerId, randomUUID());
    expect((await signup(first, { ...referralOf(ok.body), vid: undefined }).expect(201)).body.method).toBe('link');
  });

  test('clicks outside the window or after the signup do not count from the history either', async () => {
    const old = await createTestPartner(first);
    const vid = randomUUID();
    const body = clickBody(old.partnerId, {
      vid,
      occurredAt: new Date(Date.now() - 61 * day).toISOString(),
      ip: '192.0.2.10',
      userAgent: browserUa,
    });
    await request(first.app).post('/v1/clicks').set(serverKey).send(body).expect(202);
    expect((await signup(first, referralOf(body)).expect(200)).body).toEqual({ attributed: false, reason: 'expired' });
  });

  test("a redirect's click, reported by the SDK with its visitor ID, joins that visitor's history once", async () => {
    const live = await createTestPartner(first);
    const frozen = await createTestPartner(first, { status: 'frozen' });
    const vid = randomUUID();
    const res = await request(first.app).get(`/r/${live.partnerId}`).set('User-Agent', browserUa).expect(302);
    const cid = /a_cid=([0-9a-f-]{36})/.exec(res.headers.location!)![1]!;
    const reported = { ...clickBody(live.partnerId, { vid }), cid };
    await request(first.app).post('/v1/clicks').set('User-Agent', browserUa).send(reported).expect(202);
    expect(await first.context.models.Click.countDocuments({ _id: cid })).toBe(1);
    expect(await statsOf(first, live.partnerId)).toMatchObject({ clicks: 1 });
    expect((await readVisitorHistory(first.context.models, vid)).map((entry) => entry.cid)).toEqual([cid]);
    // The redirect's referral itself: method redirect.
    expect((await signup(first, { v: 1, aid: live.partnerId, cid, vid }).expect(201)).body.method).toBe('redirect');
    // A later dead SDK click held in the cookie loses to it.
    const dead = await click(first, frozen.partnerId, vid);
    expect((await signup(first, referralOf(dead.body)).expect(201)).body).toMatchObject({
      partnerId: live.partnerId,
      method: 'history',
    });
  });

  test('one visitor clicking concurrently: every counted click gets its own number', async () => {
    const partner = await createTestPartner(first);
    const vid = randomUUID();
    const bodies = await Promise.all(Array.from({ length: 12 }, () => click(first, partner.partnerId, vid)));
    const history = await readVisitorHistory(first.context.models, vid);
    expect(history.map((entry) => entry.cid).sort()).toEqual(bodies.map((b) => b.body.cid).sort());
  });

  describe("the collector's same-site answer", () => {
    test('a counted click with no cookie or its own: the collector sets its own (p: s)', async () => {
      const live = await createTestPartner(first);
      const { body, setCookie } = await click(first, live.partnerId, randomUUID(), { sameSite: true });
      expect(decodeSet(setCookie!)).toMatchObject({ aid: live.partnerId, cid: body.cid, p: 's' });
    });

    test("another live partner's referral in the cookie is kept (the SDK kept it: first attribution)", async () => {
      const a = await createTestPartner(first);
      const b = await createTestPartner(first);
      const vid = randomUUID();
      const held = await click(first, a.partnerId, vid);
      const { setCookie } = await click(first, b.partnerId, vid, {
        sameSite: true,
        cookie: cookieOf(referralOf(held.body)),
      });
      expect(setCookie).toBeUndefined();
    });

    test("a dead partner's click the cookie names is replaced by the visitor's live referral, or emptied", async () => {
      const live = await createTestPartner(first);
      const frozen = await createTestPartner(first, { status: 'frozen' });
      const vid = randomUUID();
      const liveClick = await click(first, live.partnerId, vid);
      // The SDK (last mode) wrote the dead click over the live one before reporting it.
      const deadBody = clickBody(frozen.partnerId, { vid });
      const res = await request(first.app)
        .post('/v1/clicks')
        .set('User-Agent', browserUa)
        .set('X-Forwarded-Host', 'localhost:8080')
        .set('Cookie', `ashop_ref=${cookieOf(referralOf(deadBody))}`)
        .send(deadBody)
        .expect(202);
      const restored = decodeSet((res.headers['set-cookie'] as unknown as string[])[0]!);
      expect(restored).toMatchObject({ aid: live.partnerId, cid: liveClick.body.cid, vid, p: 's' });

      // A visitor without a live click: an empty value, which the SDK does not restore from storage.
      const alone = clickBody(frozen.partnerId);
      const emptied = await request(first.app)
        .post('/v1/clicks')
        .set('User-Agent', browserUa)
        .set('X-Forwarded-Host', 'localhost:8080')
        .set('Cookie', `ashop_ref=${cookieOf(referralOf(alone))}`)
        .send(alone)
        .expect(202);
      expect((emptied.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^ashop_ref=; Max-Age=5184000; /);
    });

    test('a dead click without a cookie sets nothing (nothing to remove)', async () => {
      const frozen = await createTestPartner(first, { status: 'frozen' });
      const { setCookie } = await click(first, frozen.partnerId, randomUUID(), { sameSite: true });
      expect(setCookie).toBeUndefined();
    });
  });

  describe('server imports', () => {
    const importClick = (partnerId: string, extra: Record<string, unknown>) => {
      const body = clickBody(partnerId, { occurredAt: new Date(Date.now() - day).toISOString(), ...extra });
      return request(first.app).post('/v1/clicks').set(serverKey).set('User-Agent', 'curl/8.5.0').send(body);
    };

    test('without userAgent: not bot-checked against the importing server (curl), counted', async () => {
      const { partnerId } = await createTestPartner(first);
      const res = await importClick(partnerId, {}).expect(202);
      const click = await first.context.models.Click.findById(res.body.cid).lean();
      expect(click).toMatchObject({ bot: false, counted: true });
      const signed = await signup(first, referralOf({ aid: partnerId, cid: res.body.cid, vid: randomUUID() }));
      expect(signed.body).toMatchObject({ attributed: true, partnerId });
    });

    test("with userAgent: that browser's agent is checked", async () => {
      const { partnerId } = await createTestPartner(first);
      const bot = await importClick(partnerId, { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
      expect(await first.context.models.Click.findById(bot.body.cid).lean()).toMatchObject({
        bot: true,
        counted: false,
      });
      const human = await importClick(partnerId, { userAgent: browserUa });
      expect(await first.context.models.Click.findById(human.body.cid).lean()).toMatchObject({ counted: true });
    });

    test('a dead partner is still checked without userAgent', async () => {
      const { partnerId } = await createTestPartner(first, { status: 'disabled' });
      const res = await importClick(partnerId, {}).expect(202);
      expect(await first.context.models.Click.findById(res.body.cid).lean()).toMatchObject({ counted: false });
    });
  });
});
