// The demo site's own server without a browser: pages, the store signup backend, billing, the dev
// mailbox and the /ashop/ proxy, against a real collector on the test engine.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { freePort } from '../../collector/db/engine';
import { billingMonth, monthlyInvoice, type BillableStore } from '../../demo-site/billing';
import { createDemoSite } from '../../demo-site/server';
import { isLoopbackAddress } from '../../demo-site/safety';
import { ensureDemoBanners, ensureDemoCredentials } from '../../demo-site/setup';
import { signupSignature } from '../../collector/domain/signup-signature';
import { hashApiKey } from '../../collector/auth/api-keys';
import { testAdminKey, testCollector, testConfig, testServerKey } from '../support/collector';
import { useTestDatabase } from '../support/db';

// Declared before useTestDatabase's own afterAll, so it runs while the connection is open.
afterAll(async () => {
  await db.connection().useDb(`${db.name}_store`).dropDatabase();
});
const db = useTestDatabase(__filename);
const logger = pino({ level: 'silent' });
let collector: Collector;
let collectorServer: Server;
let collectorUrl: string;
let site: Express;

async function demoSite(target: string): Promise<Express> {
  return createDemoSite({
    config: testConfig(),
    collectorUrl: target,
    connection: db.connection(),
    models: collector.context.models,
    storeDbName: `${db.name}_store`,
    serverKey: testServerKey,
    logger,
  });
}

beforeAll(async () => {
  collector = await testCollector(db.connection());
  collectorServer = collector.app.listen(0, '127.0.0.1');
  await once(collectorServer, 'listening');
  const address = collectorServer.address();
  collectorUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  site = await demoSite(collectorUrl);
});

afterAll(async () => {
  collectorServer.closeAllConnections();
  await new Promise((done) => collectorServer.close(done));
  await collector.close();
});

describe('monthly invoices', () => {
  const store: BillableStore = { _id: 'st_1', plan: 'growth', apps: ['reviews', 'email'], design: true, invoices: [] };
  const november = new Date('2026-11-24T10:00:00Z');

  it('bills plan, apps and, on the first invoice only, the design service', () => {
    const first = monthlyInvoice(store, november, 'USD');
    expect(first).toEqual({
      eventId: 'inv_st_1_2026-11',
      customerId: 'st_1',
      occurredAt: '2026-11-24T10:00:00.000Z',
      currency: 'USD',
      lines: [
        { kind: 'plan', amount: 7900 },
        { kind: 'app', amount: 900 },
        { kind: 'app', amount: 1900 },
        { kind: 'design', amount: 25000 },
      ],
    });
    const issued = [{ month: '2026-11', issuedAt: november }];
    const december = monthlyInvoice({ ...store, invoices: issued }, new Date('2026-12-01T00:00:00Z'), 'USD');
    expect(december.eventId).toBe('inv_st_1_2026-12');
    expect(december.lines.map((line) => line.kind)).toEqual(['plan', 'app', 'app']);
  });

  it('sends the very same invoice when a month is billed again, dated when it was first issued', () => {
    const again = monthlyInvoice(
      { ...store, invoices: [{ month: '2026-11', issuedAt: november }] },
      new Date('2026-11-28T08:00:00Z'),
      'USD',
    );
    expect(again).toEqual(monthlyInvoice(store, november, 'USD'));
  });

  it('cuts months at UTC midnight', () => {
    expect(billingMonth(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(billingMonth(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
  });
});

describe('store signup', () => {
  it('computes the signature as hex HMAC-SHA256(secret, customerId)', () => {
    // RFC 4231-style known answer for HMAC-SHA256.
    expect(signupSignature('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('creates the store and returns a signature the collector accepts', async () => {
    const res = await request(site)
      .post('/api/stores')
      .send({
        storeName: 'Tea House',
        email: 'Owner@TeaHouse.example',
        plan: 'starter',
        apps: ['reviews', 'reviews'],
        design: false,
      })
      .expect(201);
    expect(res.body).toEqual({
      customerId: expect.stringMatching(/^st_[0-9a-f]{16}$/),
      email: 'owner@teahouse.example',
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const stored = await db
      .connection()
      .useDb(`${db.name}_store`)
      .collection('stores')
      .findOne({ _id: res.body.customerId });
    expect(stored).toMatchObject({ storeName: 'Tea House', plan: 'starter', apps: ['reviews'], design: false });

    // The browser's signup with this signature and no referral: accepted, not attributed.
    const signup = await request(collector.app)
      .post('/v1/signups')
      .send({ customerId: res.body.customerId, email: res.body.email, signature: res.body.signature, referral: null })
      .expect(200);
    expect(signup.body).toMatchObject({ attributed: false });
    await request(collector.app)
      .post('/v1/signups')
      .send({ customerId: res.body.customerId, signature: '0'.repeat(64), referral: null })
      .expect((answer) => expect(answer.status).toBeGreaterThanOrEqual(400));
  });

  it('refuses a second store with the same email with 409', async () => {
    const body = { storeName: 'One', email: 'twice@shop.example', plan: 'growth' };
    await request(site).post('/api/stores').send(body).expect(201);
    const res = await request(site)
      .post('/api/stores')
      .send({ ...body, storeName: 'Two' })
      .expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers bad input with 400 problem+json naming the fields', async () => {
    const res = await request(site)
      .post('/api/stores')
      .send({ storeName: '', email: 'nope', plan: 'gold', apps: ['cat'], extra: 1 })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = (res.body.errors as Array<{ field: string }>).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['storeName', 'email', 'plan', 'apps.0']));
    await request(site).post('/api/stores').set('Content-Type', 'application/json').send('{"storeName":').expect(400);
  });
});

describe('billing run', () => {
  it('needs operator credentials', async () => {
    await request(site).post('/api/billing').expect(401);
    await request(site).post('/api/billing').set('Authorization', `Bearer ${testServerKey}`).expect(403);
  });

  it('posts one invoice per store and month to the collector, idempotently', async () => {
    const first = await request(site).post('/api/billing').set('Authorization', `Bearer ${testAdminKey}`).expect(200);
    const month = billingMonth(new Date());
    expect(first.body.month).toBe(month);
    const teaHouse = (
      first.body.invoices as Array<{ storeName: string; status: number; total: number; eventId: string }>
    ).find((invoice) => invoice.storeName === 'Tea House');
    expect(teaHouse).toMatchObject({ status: 201, total: 2900 + 900 });
    const event = await collector.context.models.RevenueEvent.findById(teaHouse!.eventId).lean();
    expect(event).not.toBeNull();

    const second = await request(site).post('/api/billing').set('Authorization', `Bearer ${testAdminKey}`).expect(200);
    expect((second.body.invoices as Array<{ status: number }>).every((invoice) => invoice.status === 200)).toBe(true);
  });
});

describe('pages', () => {
  it.each(['/', '/pricing', '/features', '/signup'])(
    '%s carries the SDK snippet through the /ashop/ proxy',
    async (path) => {
      const res = await request(site).get(path).expect(200).expect('Content-Type', /html/);
      expect(res.text).toContain('window.ashop=window.ashop||function(){(ashop.q=ashop.q||[]).push(arguments)}');
      expect(res.text).toContain('<script async src="/ashop/sdk/ashop.min.js" data-endpoint="/ashop"></script>');
    },
  );

  it.each([
    '/partners/',
    '/partners/signup',
    '/partners/confirm',
    '/partners/reset',
    '/partners/login',
    '/partners/portal',
    '/admin/',
    '/mail/',
  ])('%s is served without the tracking snippet', async (path) => {
    const res = await request(site).get(path).expect(200).expect('Content-Type', /html/);
    expect(res.text).not.toContain('/ashop/sdk/ashop.min.js');
    expect(res.text).toMatch(/<main id="main">/);
  });

  it('answers unknown paths with 404: a page for browsers, problem+json for programs', async () => {
    const res = await request(site).get('/nope').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const page = await request(site)
      .get('/nope')
      .set('Accept', 'text/html,*/*;q=0.8')
      .expect(404)
      .expect('Content-Type', /html/);
    expect(page.text).toContain('Page not found');
  });
});

describe('dev mailbox', () => {
  it('shows the outbox newest first, escaped, with clickable links', async () => {
    const { OutboxMessage } = collector.context.models;
    await OutboxMessage.create({
      to: 'a@x.example',
      from: 'p@x.example',
      subject: 'Older',
      text: 'old',
      createdAt: new Date(Date.now() - 1000),
    });
    await OutboxMessage.create({
      to: 'b@x.example',
      from: 'p@x.example',
      subject: '<script>alert(1)</script>',
      text: 'Confirm: http://localhost:8080/partners/confirm?token=abc.def&x=1 now',
      createdAt: new Date(),
    });
    const res = await request(site).get('/mail/').expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(res.text).toContain('<a href="http://localhost:8080/partners/confirm?token=abc.def&#38;x=1">');
    expect(res.text.indexOf('alert(1)')).toBeLessThan(res.text.indexOf('Older'));
  });
});

describe('/ashop/ proxy', () => {
  it('forwards requests and their answers, problems included', async () => {
    const unauthorized = await request(site).get('/ashop/v1/me').expect(401);
    expect(unauthorized.body.detail).toMatch(/partner login/);
    const res = await request(site).post('/ashop/v1/clicks').set('Content-Type', 'text/plain').send('{"aid":"???"}');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("passes the visitor's address (never one the visitor claims), the site's host, bodies and Set-Cookie", async () => {
    const upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.setHeader('Set-Cookie', 'ashop_ref=x; Max-Age=60; Path=/; SameSite=Lax');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ url: req.url, headers: req.headers, body }));
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const address = upstream.address();
    const proxied = await demoSite(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    try {
      const res = await request(proxied)
        .post('/ashop/v1/clicks?x=1')
        .set('Host', 'shop.example')
        .set('X-Forwarded-For', '203.0.113.9')
        .set('Content-Type', 'text/plain')
        .send('{"aid":"p1"}')
        .expect(200);
      expect(res.body.url).toBe('/v1/clicks?x=1');
      expect(res.body.body).toBe('{"aid":"p1"}');
      expect(res.body.headers.host).toBe('shop.example');
      expect(res.body.headers['x-forwarded-for']).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(res.headers['set-cookie']).toEqual(['ashop_ref=x; Max-Age=60; Path=/; SameSite=Lax']);
    } finally {
      upstream.close();
    }
  });

  it('answers 502 problem+json when the collector is down, through the proxy and from the billing run', async () => {
    const down = await demoSite(`http://127.0.0.1:${await freePort()}`);
    const res = await request(down).get('/ashop/v1/banners').expect(502);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const billing = await request(down).post('/api/billing').set('Authorization', `Bearer ${testAdminKey}`).expect(502);
    expect(billing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each(['/ashop/metrics', '/ashop/healthz', '/ashop/readyz', '/ashop/v1/revenue', '/ashop/v1/refunds'])(
    'does not forward %s (not a tracking or partner path)',
    async (path) => {
      const res = await request(site).get(path).expect(404);
      // The site's own 404, not the collector's answer.
      expect(res.body.detail).toBe(`No route for GET ${path}`);
    },
  );
});

describe('demo safety', () => {
  it('sends a Content-Security-Policy without inline scripts on the pages that hold a login token', async () => {
    for (const path of ['/partners/portal', '/partners/login', '/admin/', '/mail/']) {
      const res = await request(site).get(path).expect(200);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(res.text).not.toMatch(/<script>/);
    }
  });

  it('knows loopback peers: the dev mailbox answers only them', () => {
    for (const address of ['127.0.0.1', '127.8.0.2', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', '', undefined])
      expect(isLoopbackAddress(address)).toBe(false);
  });

  it('the collector answers with nosniff', async () => {
    const res = await request(collector.app).get('/healthz').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('npm start set-up', () => {
  it('makes a demo operator and a track key once, keeps them, and replaces a revoked key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ashop-demo-setup-'));
    try {
      const { models } = collector.context;
      const first = await ensureDemoCredentials(models, dataDir, undefined);
      const login = await request(collector.app)
        .post('/v1/auth/login')
        .send({ email: first.adminEmail, password: first.adminPassword })
        .expect(200);
      expect(login.body.role).toBe('admin');
      expect(await models.ApiKey.findById(hashApiKey(first.serverKey)).lean()).toMatchObject({ scope: 'track' });

      expect(await ensureDemoCredentials(models, dataDir, undefined)).toEqual(first);

      await models.ApiKey.updateOne({ _id: hashApiKey(first.serverKey) }, { $set: { revokedAt: new Date() } });
      const renewed = await ensureDemoCredentials(models, dataDir, undefined);
      expect(renewed.adminPassword).toBe(first.adminPassword);
      expect(renewed.serverKey).not.toBe(first.serverKey);

      // A fresh data folder on the same database: a new password that works.
      const otherDir = mkdtempSync(join(tmpdir(), 'ashop-demo-setup-'));
      const again = await ensureDemoCredentials(models, otherDir, testServerKey);
      rmSync(otherDir, { recursive: true, force: true });
      expect(again.serverKey).toBe(testServerKey);
      expect(again.adminPassword).not.toBe(first.adminPassword);
      await request(collector.app)
        .post('/v1/auth/login')
        .send({ email: again.adminEmail, password: again.adminPassword })
        .expect(200);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('gives partners two banners when there are none, once', async () => {
    const { models } = collector.context;
    await ensureDemoBanners(models);
    await ensureDemoBanners(models);
    const banners = await models.Banner.find().sort({ _id: 1 }).lean();
    expect(banners.map((banner) => [banner._id, banner.imageUrl])).toEqual([
      ['leaderboard', '/static/banner-728x90.svg'],
      ['rectangle', '/static/banner-300x250.svg'],
    ]);
    await request(site).get('/static/banner-728x90.svg').expect(200).expect('Content-Type', /svg/);
  });
});
