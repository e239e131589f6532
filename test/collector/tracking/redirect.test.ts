import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, statsOf } from './fixtures';

const db = useTestDatabase(__filename);
// The collector closes (draining its queues) inside this block, before the test database closes.
describe('redirect links', () => {
  let collector: Collector;

  beforeAll(async () => {
    collector = await testCollector(db.connection(), {
      ASHOP_ALLOWED_ORIGINS: 'http://localhost:8080,https://app.ashop.example',
    });
  });
  afterAll(() => collector.close());

  const visit = (path: string) => request(collector.app).get(path).set('User-Agent', browserUa);

  describe('GET /r/:aid', () => {
    test('records the click and redirects to the site with the partner parameters in the hash', async () => {
      const { partnerId } = await createTestPartner(collector);
      const res = await visit(`/r/${partnerId}?bid=summer`).expect(302);
      expect(res.headers['cache-control']).toBe('no-store');
      const match = /^http:\/\/localhost:8080\/#a_aid=([^&]+)&a_bid=summer&a_cid=([0-9a-f-]{36})$/.exec(
        res.headers.location!,
      );
      expect(match?.[1]).toBe(partnerId);
      const click = await collector.context.models.Click.findById(match![2]).lean();
      expect(click).toMatchObject({ partnerId, bid: 'summer', counted: true, url: 'http://localhost:8080/' });
      expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 1, uniqueClicks: 1 });
    });

    test('goes to a path on the site or an allowed origin, keeping query and hash', async () => {
      const { partnerId } = await createTestPartner(collector);
      const path = await visit(`/r/${partnerId}?to=${encodeURIComponent('/pricing?plan=pro#faq')}`).expect(302);
      expect(path.headers.location).toMatch(
        /^http:\/\/localhost:8080\/pricing\?plan=pro#faq&a_aid=[^&]+&a_cid=[0-9a-f-]{36}$/,
      );
      const other = await visit(`/r/${partnerId}?to=${encodeURIComponent('https://app.ashop.example/signup')}`).expect(
        302,
      );
      expect(other.headers.location).toMatch(/^https:\/\/app\.ashop\.example\/signup#a_aid=/);
    });

    test.each([
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(document.cookie)',
      'http://localhost:8080.evil.example/',
    ])('refuses the target %p with 400 (no open redirect) and records nothing', async (to) => {
      const { partnerId } = await createTestPartner(collector);
      const res = await visit(`/r/${partnerId}?to=${encodeURIComponent(to)}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers.location).toBeUndefined();
      expect(res.body.errors).toEqual([{ field: 'to', message: 'not an allowed target' }]);
      expect(await collector.context.models.Click.countDocuments({ partnerId })).toBe(0);
    });

    test('a malformed partner ID or banner → 400', async () => {
      await visit('/r/bad%20id').expect(400);
      await visit(`/r/${'x'.repeat(65)}`).expect(400);
      await visit('/r/p1?bid=a%20b').expect(400);
      await visit('/r/p1?to=/a&to=/b').expect(400);
    });

    test.each(['disabled', 'frozen'] as const)(
      'links of %s partners still land the visitor, without a referral',
      async (status) => {
        const { partnerId } = await createTestPartner(collector, { status });
        const res = await visit(`/r/${partnerId}?to=/pricing`).expect(302);
        expect(res.headers.location).toBe('http://localhost:8080/pricing');
        const click = await collector.context.models.Click.findOne({ partnerId }).lean();
        expect(click).toMatchObject({ counted: false });
        expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: 0 });
      },
    );

    test('unknown partners: the visitor lands, nothing counts', async () => {
      const res = await visit('/r/nobody-at-all').expect(302);
      expect(res.headers.location).toBe('http://localhost:8080/');
    });
  });
});
