import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { signupSignature } from '../../../collector/domain/signup-signature';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { botUa, browserUa, clickBody, referralOf, serverKey, statsOf } from './fixtures';

const db = useTestDatabase(__filename);
// The collector closes (draining its queues) inside this block, before the test database closes.
describe('signups', () => {
  let collector: Collector;
  const day = 86_400_000;

  beforeAll(async () => {
    collector = await testCollector(db.connection());
  });
  afterAll(() => collector.close());

  /** A click recorded through the API (imported at `occurredAt` when given). */
  async function click(partnerId: string, options: { occurredAt?: Date; userAgent?: string; bid?: string } = {}) {
    const body = clickBody(partnerId, {
      ...(options.bid ? { bid: options.bid } : {}),
      ...(options.occurredAt
        ? { occurredAt: options.occurredAt.toISOString(), ip: '192.0.2.10', userAgent: options.userAgent ?? browserUa }
        : {}),
    });
    await request(collector.app)
      .post('/v1/clicks')
      .set('User-Agent', options.userAgent ?? browserUa)
      .set(options.occurredAt ? serverKey : {})
      .send(body)
      .expect(202);
    return body;
  }

  const fromBrowser = (body: Record<string, unknown>) =>
    request(collector.app)
      .post('/v1/signups')
      .set('Content-Type', 'text/plain')
      .send(
        JSON.stringify({
          ...body,
          signature:
            body.signature ??
            signupSignature(
              collector.context.config.signupSecret,
              String(body.customerId),
              typeof body.email === 'string' ? body.email : undefined,
            ),
        }),
      );
  const fromServer = (body: Record<string, unknown>) =>
    request(collector.app).post('/v1/signups').set(serverKey).send(body);

  describe('POST /v1/signups', () => {
    test('a signed browser signup with a fresh click binds the customer to the partner', async () => {
      const { partnerId } = await createTestPartner(collector);
      const clicked = await click(partnerId, { bid: 'summer' });
      const customerId = `cus_${randomUUID()}`;
      const res = await fromBrowser({
        customerId,
        email: 'new@customer.example',
        referral: referralOf(clicked),
      }).expect(201);
      expect(res.body).toEqual({ attributed: true, partnerId, method: 'link' });
      expect(await collector.context.models.Customer.findById(customerId).lean()).toMatchObject({
        partnerId,
        clickId: clicked.cid,
        bid: 'summer',
      });
      expect(await statsOf(collector, partnerId)).toMatchObject({ signups: 1 });
    });

    test('the raw cookie value is accepted as the referral', async () => {
      const { partnerId } = await createTestPartner(collector);
      const clicked = await click(partnerId);
      const referral = encodeURIComponent(JSON.stringify(referralOf(clicked)));
      await fromBrowser({ customerId: `cus_${randomUUID()}`, referral }).expect(201);
    });

    test.each([
      [59, 201, { attributed: true }],
      [60, 201, { attributed: true }],
      [61, 200, { attributed: false, reason: 'expired' }],
    ])('a click %i days before the signup → %i', async (days, status, expected) => {
      const { partnerId } = await createTestPartner(collector);
      const clickAt = new Date(Date.now() - 100 * day);
      const clicked = await click(partnerId, { occurredAt: clickAt });
      const res = await fromServer({
        customerId: `cus_${randomUUID()}`,
        referral: referralOf(clicked),
        occurredAt: new Date(clickAt.getTime() + days * day).toISOString(),
      }).expect(status);
      expect(res.body).toMatchObject(expected);
    });

    test('a customer is bound once, for life: later signups and other partners change nothing', async () => {
      const first = await createTestPartner(collector);
      const second = await createTestPartner(collector);
      const customerId = `cus_${randomUUID()}`;
      await fromBrowser({ customerId, referral: referralOf(await click(first.partnerId)) }).expect(201);
      const again = await fromBrowser({ customerId, referral: referralOf(await click(second.partnerId)) }).expect(200);
      expect(again.body).toEqual({ attributed: false, reason: 'already_bound' });
      expect(await collector.context.models.Customer.findById(customerId).lean()).toMatchObject({
        partnerId: first.partnerId,
      });
    });

    test('concurrent signups of one customer bind it exactly once', async () => {
      const partners = await Promise.all([createTestPartner(collector), createTestPartner(collector)]);
      const referrals = await Promise.all(partners.map(async (partner) => referralOf(await click(partner.partnerId))));
      const customerId = `cus_${randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => fromServer({ customerId, referral: referrals[i % 2] })),
      );
      expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
      expect(answers.filter((res) => res.status === 200).every((res) => res.body.reason === 'already_bound')).toBe(
        true,
      );
      expect(await collector.context.models.Customer.countDocuments({ _id: customerId })).toBe(1);
    });

    describe('not attributed, with the reason', () => {
      test('no referral', async () => {
        expect((await fromBrowser({ customerId: 'c-none' }).expect(200)).body).toEqual({
          attributed: false,
          reason: 'no_referral',
        });
        expect((await fromBrowser({ customerId: 'c-null', referral: null }).expect(200)).body.reason).toBe(
          'no_referral',
        );
      });

      test('an unreadable referral', async () => {
        expect((await fromBrowser({ customerId: 'c-bad', referral: '%7Bnope' }).expect(200)).body.reason).toBe(
          'invalid_referral',
        );
        expect(
          (await fromBrowser({ customerId: 'c-bad2', referral: { v: 1, aid: 'p1' } }).expect(200)).body.reason,
        ).toBe('invalid_referral');
      });

      test('a click that was never recorded, or of another partner', async () => {
        const { partnerId } = await createTestPartner(collector);
        const other = await createTestPartner(collector);
        const invented = { v: 1, aid: partnerId, cid: randomUUID(), vid: randomUUID(), ts: Date.now() };
        expect((await fromBrowser({ customerId: 'c-u1', referral: invented }).expect(200)).body.reason).toBe(
          'unknown_click',
        );
        const clicked = await click(other.partnerId);
        const forged = { ...referralOf(clicked), aid: partnerId };
        expect((await fromBrowser({ customerId: 'c-u2', referral: forged }).expect(200)).body.reason).toBe(
          'unknown_click',
        );
      });

      test('a partner frozen or disabled after the click', async () => {
        const { partnerId } = await createTestPartner(collector);
        const clicked = await click(partnerId);
        await collector.context.models.Partner.updateOne({ _id: partnerId }, { status: 'frozen' });
        expect((await fromBrowser({ customerId: 'c-f', referral: referralOf(clicked) }).expect(200)).body.reason).toBe(
          'partner_inactive',
        );
        await collector.context.models.Partner.updateOne({ _id: partnerId }, { status: 'disabled' });
        expect((await fromBrowser({ customerId: 'c-d', referral: referralOf(clicked) }).expect(200)).body.reason).toBe(
          'partner_inactive',
        );
      });

      test('a bot click', async () => {
        const { partnerId } = await createTestPartner(collector);
        const clicked = await click(partnerId, { userAgent: botUa });
        expect(
          (await fromBrowser({ customerId: 'c-bot', referral: referralOf(clicked) }).expect(200)).body.reason,
        ).toBe('click_not_counted');
      });

      test('self-referral: the signup email is the partner email', async () => {
        const { partnerId, email } = await createTestPartner(collector);
        const clicked = await click(partnerId);
        const res = await fromBrowser({
          customerId: 'c-self',
          email: email.toUpperCase(),
          referral: referralOf(clicked),
        }).expect(200);
        expect(res.body).toEqual({ attributed: false, reason: 'self_referral' });
        expect(await collector.context.models.Customer.exists({ _id: 'c-self' })).toBeNull();
      });

      test('self-referral through a +tag, from a server or with a signed email', async () => {
        const { partnerId, email } = await createTestPartner(collector);
        const tagged = email.replace('@', '+shop@');
        const viaServer = await fromServer({
          customerId: 'c-self-tag',
          email: tagged,
          referral: referralOf(await click(partnerId)),
        }).expect(200);
        expect(viaServer.body).toEqual({ attributed: false, reason: 'self_referral' });
        const viaBrowser = await fromBrowser({
          customerId: 'c-self-tag-2',
          email: tagged.toUpperCase(),
          referral: referralOf(await click(partnerId)),
        }).expect(200);
        expect(viaBrowser.body).toEqual({ attributed: false, reason: 'self_referral' });
      });

      test('a browser cannot leave out or swap the email its signature covers', async () => {
        const { partnerId, email } = await createTestPartner(collector);
        const signed = signupSignature(collector.context.config.signupSecret, 'c-drop', email);
        const referral = referralOf(await click(partnerId));
        await fromBrowser({ customerId: 'c-drop', referral, signature: signed }).expect(401);
        await fromBrowser({ customerId: 'c-drop', email: 'other@x.example', referral, signature: signed }).expect(401);
        // An email next to a customerId-only signature is not the merchant's word: it is not kept.
        const unsigned = signupSignature(collector.context.config.signupSecret, 'c-unsigned');
        await fromBrowser({ customerId: 'c-unsigned', email: 'x@y.example', referral, signature: unsigned }).expect(
          201,
        );
        expect((await collector.context.models.Customer.findById('c-unsigned').lean())?.email).toBeUndefined();
      });
    });

    describe('bad input', () => {
      test('a browser signup without a signature, or with a wrong one → 401', async () => {
        const body = { customerId: 'c-sig', referral: null };
        const missing = await request(collector.app).post('/v1/signups').send(body).expect(401);
        expect(missing.body.type).toBe('/problems/signature-required');
        const wrong = await fromBrowser({
          ...body,
          signature: signupSignature('another-secret-another-secret-xx', 'c-sig'),
        }).expect(401);
        expect(wrong.body.type).toBe('/problems/invalid-signature');
        await fromBrowser({ ...body, signature: 'abc' }).expect(401);
      });

      test('the signature is over the customerId', async () => {
        await fromBrowser({
          customerId: 'c-one',
          signature: signupSignature(collector.context.config.signupSecret, 'c-two'),
        }).expect(401);
      });

      test('server keys: unknown fields and bad values → 400 naming them', async () => {
        const res = await fromServer({ customerId: 'c-x', referral: null, plan: 'pro' }).expect(400);
        expect(res.body.errors[0].message).toMatch(/plan/);
        const bad = await fromServer({ customerId: '', email: 'not-an-email', occurredAt: 'yesterday' }).expect(400);
        expect([...new Set(bad.body.errors.map((error: { field: string }) => error.field))].sort()).toEqual([
          'customerId',
          'email',
          'occurredAt',
        ]);
      });
    });
  });
});
