import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { testAdminKey, testCollector, testServerKey } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { addCommission, createTestPartner, day, type TestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
let a: TestPartner;
let b: TestPartner;

const api = () => request(collector.app);
const as = (partner: TestPartner) => ({ Authorization: `Bearer ${partner.token}` });
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  collector = await testCollector(db.connection());
  a = await createTestPartner(collector, { name: 'Alice' });
  b = await createTestPartner(collector, { name: 'Bob' });
});

afterAll(async () => {
  await collector.close();
});

describe('stats through the real tracking flow', () => {
  it('shows a click once folded (the fold lags by at most its interval), then signups, customers, revenue and commission', async () => {
    const cid = randomUUID();
    const vid = randomUUID();
    await api()
      .post('/v1/clicks')
      .set('Origin', 'http://localhost:8080')
      .set(
        'User-Agent',
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      )
      .send({ aid: a.partnerId, bid: 'summer', cid, vid, url: 'http://localhost:8080/pricing' })
      .expect(202);
    await collector.context.tracking.flush();
    const afterClick = await api().get('/v1/me/stats').set(as(a)).expect(200);
    expect(afterClick.body.totals).toMatchObject({ clicks: 1 });
    expect(afterClick.body.byBanner).toEqual([expect.objectContaining({ bid: 'summer', clicks: 1 })]);
    expect(afterClick.body.daily.at(-1)).toMatchObject({ day: today(), clicks: 1 });

    const server = { Authorization: `Bearer ${testServerKey}` };
    await api()
      .post('/v1/signups')
      .set(server)
      .send({
        customerId: 'cust-1',
        email: 'secret-customer@example.com',
        referral: { v: 1, aid: a.partnerId, bid: 'summer', cid, vid, ts: Date.now() },
      })
      .expect(201);
    await api()
      .post('/v1/revenue')
      .set(server)
      .send({
        eventId: 'inv-1',
        customerId: 'cust-1',
        lines: [
          { kind: 'plan', amount: 10000 },
          { kind: 'design', amount: 5000 },
        ],
      })
      .expect(201);
    await collector.context.tracking.flush();
    const stats = await api().get('/v1/me/stats').set(as(a)).expect(200);
    expect(stats.body.totals).toMatchObject({
      clicks: 1,
      signups: 1,
      customers: 1,
      revenue: 15000,
      earned: 2500,
      commission: { pending: 2500, payable: 0, paid: 0, reversed: 0 },
      balance: 0,
    });

    const commissions = await api().get('/v1/me/commissions').set(as(a)).expect(200);
    expect(commissions.body.items).toEqual([
      expect.objectContaining({ customerId: 'cust-1', amount: 2500, net: 2500, status: 'pending', kind: 'commission' }),
    ]);
    // Customers appear to partners without email.
    expect(JSON.stringify([stats.body, commissions.body])).not.toContain('secret-customer');
  });
});

describe('stats validation', () => {
  it('defaults to the last 30 days and checks the range', async () => {
    const res = await api().get('/v1/me/stats').set(as(b)).expect(200);
    expect(res.body.to).toBe(today());
    expect(res.body.daily).toHaveLength(30);
    const one = await api().get('/v1/me/stats').query({ from: '2026-03-01', to: '2026-03-01' }).set(as(b)).expect(200);
    expect(one.body.daily).toEqual([expect.objectContaining({ day: '2026-03-01', clicks: 0 })]);
    for (const query of [
      { from: '2026-03-02', to: '2026-03-01' },
      { from: '2025-01-01', to: '2026-03-01' },
      { from: '2026-02-30' },
      { to: 'yesterday' },
    ]) {
      const bad = await api().get('/v1/me/stats').query(query).set(as(b)).expect(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(bad.body.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('partners only ever see their own data', () => {
  beforeAll(async () => {
    const past = new Date(Date.now() - 200 * day);
    await addCommission(collector, a.partnerId, 30000, past, { customerId: 'a-customer' });
    await addCommission(collector, b.partnerId, 40000, past, { customerId: 'b-customer' });
    await api().post('/v1/admin/payouts').set('Authorization', `Bearer ${testAdminKey}`).send({}).expect(201);
    await collector.context.tracking.flush();
  });

  it('on every /v1/me route, whatever the query says', async () => {
    const routes = [
      '/v1/me',
      '/v1/me/stats',
      '/v1/me/commissions',
      '/v1/me/balance',
      '/v1/me/customers',
      '/v1/me/payouts',
      '/v1/me/report.csv',
      '/v1/banners',
    ];
    for (const route of routes) {
      const res = await api().get(route).query({ partnerId: b.partnerId, aid: b.partnerId }).set(as(a)).expect(200);
      const text = res.text;
      expect(text).not.toContain(b.partnerId);
      expect(text).not.toContain(b.email);
      expect(text).not.toContain('b-customer');
    }
    const payouts = await api().get('/v1/me/payouts').set(as(a)).expect(200);
    expect(payouts.body.items).toEqual([
      expect.objectContaining({ amount: 30000, payoutEmail: `paypal-${a.email}`, status: 'pending' }),
    ]);
    const mine = await api().get('/v1/me').set(as(b)).expect(200);
    expect(mine.body.partnerId).toBe(b.partnerId);
  });

  it('filters and pages commissions by cursor, newest first', async () => {
    const paid = await api().get('/v1/me/commissions').query({ status: 'paid' }).set(as(a)).expect(200);
    expect(paid.body.items.map((line: { customerId: string }) => line.customerId)).toEqual(['a-customer']);
    expect(paid.body.items[0].payoutId).toMatch(/^po_/);
    const first = await api().get('/v1/me/commissions').query({ limit: 1 }).set(as(a)).expect(200);
    expect(first.body).toMatchObject({ currency: 'USD', limit: 1, nextCursor: expect.any(String) });
    expect(first.body.items).toEqual([expect.objectContaining({ customerId: 'cust-1' })]);
    const second = await api()
      .get('/v1/me/commissions')
      .query({ limit: 1, cursor: first.body.nextCursor })
      .set(as(a))
      .expect(200);
    expect(second.body.items).toEqual([expect.objectContaining({ customerId: 'a-customer', status: 'paid' })]);
    expect(second.body.nextCursor).toBeNull();
    await api().get('/v1/me/commissions').query({ status: 'lost' }).set(as(a)).expect(400);
    await api().get('/v1/me/commissions').query({ limit: 0 }).set(as(a)).expect(400);
    await api().get('/v1/me/commissions').query({ cursor: 'not-ours' }).set(as(a)).expect(400);
    const forged = Buffer.from(JSON.stringify({ after: 'abc' })).toString('base64url');
    await api().get('/v1/me/commissions').query({ cursor: forged }).set(as(a)).expect(400);
    await api().get('/v1/me/customers').query({ cursor: forged }).set(as(a)).expect(400);
  });
});

describe('report.csv', () => {
  it('is RFC 4180 with correct quoting, and spreadsheet-safe', async () => {
    const partner = await createTestPartner(collector);
    await addCommission(collector, partner.partnerId, 1234, new Date('2026-01-05T10:00:00Z'), {
      customerId: 'acme, "the" shop',
    });
    await addCommission(collector, partner.partnerId, 99, new Date('2026-01-06T10:00:00Z'), {
      customerId: '=HYPERLINK("http://evil")',
    });
    const res = await api().get('/v1/me/report.csv').set(as(partner)).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?ashop-partner-report\.csv"?$/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      'entry,kind,customer,event,occurred_at,available_at,base,rate,amount,refunded,net,currency,status,payout,clicked_at,banner,signed_up_at,note',
    );
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the final CRLF
    expect(lines[3]).toBe('');
    expect(res.text).toContain(',commission,"acme, ""the"" shop",');
    expect(res.text).toContain(',12.34,0.00,12.34,USD,payable,');
    expect(res.text).toContain(`,commission,"'=HYPERLINK(""http://evil"")",`);
  });
});

describe('profile and banners', () => {
  it('updates the own profile (payout email) and refuses unknown fields', async () => {
    const res = await api()
      .patch('/v1/me')
      .set(as(b))
      .send({ payoutEmail: 'Bob-PayPal@Example.com', website: 'https://bob.example' })
      .expect(200);
    expect(res.body).toMatchObject({ payoutEmail: 'bob-paypal@example.com', website: 'https://bob.example' });
    await api().patch('/v1/me').set(as(b)).send({ status: 'active' }).expect(400);
    await api().patch('/v1/me').set(as(b)).send({ payoutEmail: 'nope' }).expect(400);
    const cleared = await api().patch('/v1/me').set(as(b)).send({ website: null }).expect(200);
    expect(cleared.body.website).toBeNull();
    const audit = await collector.context.models.AuditEntry.find({ subject: `partner:${b.partnerId}` }).lean();
    expect(audit.map(({ actor, action, details }) => ({ actor, action, details }))).toEqual([
      {
        actor: `partner:${b.partnerId}`,
        action: 'partner.payout-email',
        details: { from: `paypal-${b.email}`, to: 'bob-paypal@example.com' },
      },
    ]);
  });

  it('gives paste-ready banner HTML with the partner ID and banner ID, escaped', async () => {
    await api()
      .post('/v1/admin/banners')
      .set('Authorization', `Bearer ${testAdminKey}`)
      .send({
        bannerId: 'leader',
        name: 'Leaderboard',
        imageUrl: '/banners/728x90.png',
        width: 728,
        height: 90,
        targetPath: '/pricing',
        altText: 'Ashop "stores" & more',
      })
      .expect(201);
    await api()
      .post('/v1/admin/banners')
      .set('Authorization', `Bearer ${testAdminKey}`)
      .send({
        bannerId: 'old',
        name: 'Old',
        imageUrl: '/old.png',
        width: 10,
        height: 10,
        altText: 'old',
        active: false,
      })
      .expect(201);
    const res = await api().get('/v1/banners').set(as(a)).expect(200);
    expect(res.body.items).toHaveLength(1);
    const [banner] = res.body.items;
    expect(banner.link).toBe(`http://localhost:8080/pricing#a_aid=${a.partnerId}&a_bid=leader`);
    expect(banner.html).toBe(
      `<a href="http://localhost:8080/pricing#a_aid=${a.partnerId}&amp;a_bid=leader" rel="sponsored">` +
        '<img src="http://localhost:8080/banners/728x90.png" width="728" height="90" alt="Ashop &quot;stores&quot; &amp; more"></a>',
    );
    await api().get('/v1/banners').expect(401);
  });
});
