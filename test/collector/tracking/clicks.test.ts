import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { utcDay } from '../../../collector/domain/days';
import { testAdminKey, testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { botUa, browserUa, clickBody, dayStatsOf, serverKey, statsOf } from './fixtures';

const db = useTestDatabase(__filename);
// The collector closes (draining its queues) inside this block, before the test database closes.
describe('clicks', () => {
  let collector: Collector;

  beforeAll(async () => {
    collector = await testCollector(db.connection(), {
      ASHOP_ALLOWED_ORIGINS: 'http://localhost:8080,https://shop.example',
    });
  });
  afterAll(() => collector.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    request(collector.app)
      .post('/v1/clicks')
      .set('User-Agent', browserUa)
      .set(headers)
      .send(body as object);

  describe('POST /v1/clicks', () => {
    test('stores a click of an active partner, counted, with a visitor hash and never the IP', async () => {
      const { partnerId } = await createTestPartner(collector);
      const body = clickBody(partnerId, {
        bid: 'summer',
        data1: 'yt',
        data2: 'v42',
        referrer: 'https://blog.example/',
      });
      const res = await post(body, { 'X-Forwarded-For': '203.0.113.9' }).expect(202);
      expect(res.body).toEqual({ cid: body.cid });
      const click = await collector.context.models.Click.findById(body.cid).lean();
      expect(click).toMatchObject({
        partnerId,
        bid: 'summer',
        data1: 'yt',
        data2: 'v42',
        vid: body.vid,
        url: body.url,
        referrer: 'https://blog.example/',
        bot: false,
        counted: true,
        unique: true,
      });
      expect(click!.visitorHash).toMatch(/^[\w-]{32}$/);
      expect(JSON.stringify(click)).not.toContain('203.0.113.9');
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 1, uniqueClicks: 1 });
    });

    test('accepts the text/plain body sendBeacon sends', async () => {
      const { partnerId } = await createTestPartner(collector);
      const body = clickBody(partnerId);
      await post(JSON.stringify(body), { 'Content-Type': 'text/plain;charset=UTF-8' }).expect(202);
      expect(await collector.context.models.Click.exists({ _id: body.cid })).toBeTruthy();
    });

    test('unique clicks: one visitor, one partner, one UTC day', async () => {
      const { partnerId } = await createTestPartner(collector);
      const vid = randomUUID();
      await post(clickBody(partnerId, { vid })).expect(202);
      await post(clickBody(partnerId, { vid })).expect(202);
      await post(clickBody(partnerId, { vid, bid: 'other' })).expect(202);
      await post(clickBody(partnerId)).expect(202);
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 4, uniqueClicks: 2 });
    });

    test('concurrent clicks of one visitor count one unique click', async () => {
      const { partnerId } = await createTestPartner(collector);
      const vid = randomUUID();
      await Promise.all(Array.from({ length: 20 }, () => post(clickBody(partnerId, { vid })).expect(202)));
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 20, uniqueClicks: 1 });
    });

    test('a retried click (same cid) is stored and counted once', async () => {
      const { partnerId } = await createTestPartner(collector);
      const body = clickBody(partnerId);
      await Promise.all([post(body).expect(202), post(body).expect(202), post(body).expect(202)]);
      expect(await collector.context.models.Click.countDocuments({ _id: body.cid })).toBe(1);
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 1, uniqueClicks: 1 });
    });

    test('pending partners count ("link works")', async () => {
      const { partnerId } = await createTestPartner(collector, { status: 'pending' });
      const body = clickBody(partnerId);
      await post(body).expect(202);
      expect(await collector.context.models.Click.findById(body.cid).lean()).toMatchObject({ counted: true });
    });

    test.each(['frozen', 'disabled'] as const)('clicks of %s partners are stored, not counted', async (status) => {
      const { partnerId } = await createTestPartner(collector, { status });
      const body = clickBody(partnerId);
      await post(body).expect(202);
      expect(await collector.context.models.Click.findById(body.cid).lean()).toMatchObject({
        counted: false,
        unique: false,
      });
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 0, uniqueClicks: 0 });
    });

    test('a freeze by an operator applies to the very next click of this collector', async () => {
      const { partnerId } = await createTestPartner(collector);
      const before = clickBody(partnerId);
      await post(before).expect(202);
      await request(collector.app)
        .post(`/v1/admin/partners/${partnerId}/status`)
        .set('Authorization', `Bearer ${testAdminKey}`)
        .send({ status: 'frozen', reason: 'traffic review' })
        .expect(200);
      const after = clickBody(partnerId);
      await post(after).expect(202);
      const { Click } = collector.context.models;
      expect(await Click.findById(before.cid).lean()).toMatchObject({ counted: true });
      expect(await Click.findById(after.cid).lean()).toMatchObject({ counted: false });
    });

    test('a click for an unknown partner is accepted but never counted', async () => {
      const body = clickBody('nobody-here');
      await post(body).expect(202);
      expect(await collector.context.models.Click.findById(body.cid).lean()).toMatchObject({
        partnerId: 'nobody-here',
        counted: false,
      });
      expect(await statsOf(collector, 'nobody-here')).toMatchObject({ clicks: 0 });
    });

    test('bots are stored as bots and not counted', async () => {
      const { partnerId } = await createTestPartner(collector);
      const body = clickBody(partnerId);
      await post(body, { 'User-Agent': botUa }).expect(202);
      expect(await collector.context.models.Click.findById(body.cid).lean()).toMatchObject({
        bot: true,
        counted: false,
      });
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 0 });
    });

    test('the same IP and browser hash alike on one day; another browser differs', async () => {
      const { partnerId } = await createTestPartner(collector);
      const a = clickBody(partnerId);
      const b = clickBody(partnerId);
      const c = clickBody(partnerId);
      await post(a, { 'X-Forwarded-For': '198.51.100.7' }).expect(202);
      await post(b, { 'X-Forwarded-For': '198.51.100.7' }).expect(202);
      await post(c, { 'X-Forwarded-For': '198.51.100.7', 'User-Agent': `${browserUa} Edg/126` }).expect(202);
      const hashes = await Promise.all(
        [a, b, c].map(async (click) => (await collector.context.models.Click.findById(click.cid).lean())!.visitorHash),
      );
      expect(hashes[0]).toBe(hashes[1]);
      expect(hashes[2]).not.toBe(hashes[0]);
    });

    describe('imports with a server key', () => {
      test('may set occurredAt, ip and userAgent', async () => {
        const { partnerId } = await createTestPartner(collector);
        const body = clickBody(partnerId, { occurredAt: '2026-03-04T05:06:07Z', ip: '192.0.2.1', userAgent: botUa });
        await post(body, serverKey).expect(202);
        const click = await collector.context.models.Click.findById(body.cid).lean();
        expect(click).toMatchObject({ bot: true, counted: false });
        expect(click!.occurredAt.toISOString()).toBe('2026-03-04T05:06:07.000Z');
        const human = clickBody(partnerId, {
          occurredAt: '2026-03-04T05:06:07Z',
          ip: '192.0.2.1',
          userAgent: browserUa,
        });
        await post(human, serverKey).expect(202);
        expect(await dayStatsOf(collector, partnerId, '2026-03-04')).toMatchObject({
          clicks: 1,
          uniqueClicks: 1,
        });
      });

      test('unknown fields and future dates are refused', async () => {
        const { partnerId } = await createTestPartner(collector);
        const unknown = await post(clickBody(partnerId, { colour: 'red' }), serverKey).expect(400);
        expect(unknown.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/colour/) })]);
        const future = new Date(Date.now() + 86_400_000).toISOString();
        const res = await post(clickBody(partnerId, { occurredAt: future }), serverKey).expect(400);
        expect(res.body.errors).toEqual([
          { field: 'occurredAt', message: expect.stringMatching(/^must not be in the future/) },
        ]);
      });

      test('browsers cannot backdate clicks or set the IP: those fields are ignored', async () => {
        const { partnerId } = await createTestPartner(collector);
        const body = clickBody(partnerId, { occurredAt: '2020-01-01T00:00:00Z', ip: '192.0.2.1' });
        await post(body).expect(202);
        const click = await collector.context.models.Click.findById(body.cid).lean();
        expect(utcDay(click!.occurredAt)).toBe(utcDay(new Date()));
      });
    });

    describe('bad input', () => {
      test.each([
        ['a malformed partner ID', { aid: 'bad id!' }, 'aid'],
        ['a missing click ID', { cid: undefined }, 'cid'],
        ['a click ID that is no UUID', { cid: '123' }, 'cid'],
        ['a missing visitor ID', { vid: undefined }, 'vid'],
        ['a sub-ID over 128 characters', { data1: 'x'.repeat(129) }, 'data1'],
        ['a banner ID with spaces', { bid: 'a b' }, 'bid'],
        ['a URL that is not text', { url: 42 }, 'url'],
      ])('%s → 400 naming the field', async (_name, overrides, field) => {
        const res = await post({ ...clickBody('p-any'), ...overrides }).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      });

      test('malformed JSON (also as text/plain) → 400', async () => {
        await post('{"aid":', { 'Content-Type': 'application/json' }).expect(400);
        const res = await post('{"aid":', { 'Content-Type': 'text/plain' }).expect(400);
        expect(res.body.type).toBe('/problems/malformed-json');
      });

      test('an empty body → 400', async () => {
        await request(collector.app).post('/v1/clicks').expect(400);
      });

      test('a body over 64 KB → 413', async () => {
        const res = await post(JSON.stringify({ ...clickBody('p1'), url: 'x'.repeat(70_000) }), {
          'Content-Type': 'text/plain',
        }).expect(413);
        expect(res.body.status).toBe(413);
      });

      test('a bad server key → 401', async () => {
        await post(clickBody('p1'), { Authorization: 'Bearer nope-nope-nope' }).expect(401);
      });
    });

    describe('CORS', () => {
      test('allowed origins get credentials-enabled CORS; preflight answered', async () => {
        const { partnerId } = await createTestPartner(collector);
        const res = await post(clickBody(partnerId), { Origin: 'https://shop.example' }).expect(202);
        expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
        expect(res.headers['access-control-allow-credentials']).toBe('true');
        const preflight = await request(collector.app)
          .options('/v1/clicks')
          .set('Origin', 'https://shop.example')
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'content-type')
          .expect(204);
        expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
        expect(preflight.headers['access-control-allow-headers']).toMatch(/Content-Type/);
      });

      test('other origins are refused with 403', async () => {
        const res = await post(clickBody('p1'), { Origin: 'https://evil.example' }).expect(403);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.body.type).toBe('/problems/origin-not-allowed');
        await request(collector.app).options('/v1/clicks').set('Origin', 'https://evil.example').expect(403);
      });
    });

    describe('the ashop_ref cookie', () => {
      test('set on same-site requests (through the site proxy), in the SDK format', async () => {
        const { partnerId } = await createTestPartner(collector);
        const body = clickBody(partnerId, { bid: 'summer' });
        const res = await post(body, { 'X-Forwarded-Host': 'localhost:8080', Origin: 'http://localhost:8080' }).expect(
          202,
        );
        const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0];
        expect(cookie).toMatch(/^ashop_ref=[^;]+; Max-Age=5184000; Path=\/; Expires=[^;]+; SameSite=Lax$/);
        const value = JSON.parse(decodeURIComponent(/^ashop_ref=([^;]+)/.exec(cookie!)![1]!));
        expect(value).toEqual({
          v: 1,
          aid: partnerId,
          bid: 'summer',
          cid: body.cid,
          vid: body.vid,
          ts: expect.any(Number),
          p: 's',
        });
      });

      test('not set cross-site, nor for clicks that do not count', async () => {
        const { partnerId } = await createTestPartner(collector);
        const crossSite = await post(clickBody(partnerId)).expect(202);
        expect(crossSite.headers['set-cookie']).toBeUndefined();
        const frozen = await createTestPartner(collector, { status: 'frozen' });
        const res = await post(clickBody(frozen.partnerId), { 'X-Forwarded-Host': 'localhost:8080' }).expect(202);
        expect(res.headers['set-cookie']).toBeUndefined();
      });
    });
  });

  describe('collector on a sibling host of an https site', () => {
    let sibling: Collector;
    beforeAll(async () => {
      sibling = await testCollector(db.connection(), { ASHOP_SITE_URL: 'https://www.ashop.example' });
    });
    afterAll(() => sibling.close());

    test('sets a Secure cookie on the shared parent domain', async () => {
      const { partnerId } = await createTestPartner(sibling);
      const res = await request(sibling.app)
        .post('/v1/clicks')
        .set('User-Agent', browserUa)
        .set('X-Forwarded-Host', 'partners.ashop.example')
        .set('X-Forwarded-Proto', 'https')
        .set('Origin', 'https://www.ashop.example')
        .send(clickBody(partnerId))
        .expect(202);
      const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
      expect(cookie).toMatch(/; Domain=ashop\.example;/);
      expect(cookie).toMatch(/; Secure/);
    });
  });

  describe('visitor salts', () => {
    test('one salt per UTC day shared through the database; earlier days are deleted', async () => {
      const { visitors } = collector.context.tracking;
      const today = await visitors.salt();
      const other = await testCollector(db.connection());
      expect(await other.context.tracking.visitors.salt()).toBe(today);
      await other.close();
      const tomorrow = new Date(Date.now() + 86_400_000);
      const next = await visitors.salt(tomorrow);
      expect(next).not.toBe(today);
      const days = (await collector.context.models.VisitorSalt.find({}, { _id: 1 }).lean()).map((salt) => salt._id);
      expect(days).toEqual([utcDay(tomorrow)]);
    });
  });
});
