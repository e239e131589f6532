import request from 'supertest';
import type { Collector } from '../../collector/app';
import { createApiKey } from '../../collector/auth/api-keys';
import { unpackDays } from '../../collector/domain/stat-layout';
import { createAdmin } from '../../collector/services/admins';
import { StatsFolder } from '../../collector/services/stats-folder';
import { daysMigrationId } from '../../collector/services/stats-migration';
import { testAdminKey, testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { addCommission, createTestPartner, day, type TestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
let adminToken: string;
let adminId: string;

const api = () => request(collector.app);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  collector = await testCollector(db.connection());
  const admin = await createAdmin(collector.context, 'Ops@Ashop.example', 'operator password', 'cli');
  adminId = admin.adminId;
  const login = await api()
    .post('/v1/auth/login')
    .send({ email: 'ops@ashop.example', password: 'operator password' })
    .expect(200);
  expect(login.body).toMatchObject({ role: 'admin', admin: { adminId, email: 'ops@ashop.example' } });
  adminToken = login.body.token;
});

describe('admin authentication', () => {
  it('accepts ASHOP_ADMIN_KEY, admin API keys and admin JWTs; refuses track keys and revoked keys', async () => {
    const adminKey = await createApiKey(collector.context.models, 'admin', 'ops');
    const trackKey = await createApiKey(collector.context.models, 'track', 'billing');
    for (const token of [testAdminKey, adminKey, adminToken])
      await api().get('/v1/admin/partners').set(bearer(token)).expect(200);
    await api().get('/v1/admin/partners').set(bearer(trackKey)).expect(403);
    await collector.context.models.ApiKey.updateMany({ label: 'ops' }, { $set: { revokedAt: new Date() } });
    await api().get('/v1/admin/partners').set(bearer(adminKey)).expect(401);
    await api().get('/v1/admin/partners').expect(401);
  });

  it('refuses a wrong admin password and a duplicate admin', async () => {
    await api().post('/v1/auth/login').send({ email: 'ops@ashop.example', password: 'wrong password' }).expect(401);
    await expect(createAdmin(collector.context, 'ops@ashop.example', 'whatever pass', 'cli')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'email-taken',
    });
  });
});

describe('partners', () => {
  let alice: TestPartner;
  let bob: TestPartner;

  beforeAll(async () => {
    alice = await createTestPartner(collector, { name: 'Alice Example' });
    bob = await createTestPartner(collector, { name: 'Bob (a+b) Builder', status: 'pending' });
  });

  it('lists with search and status filter, never with secrets', async () => {
    const byName = await api().get('/v1/admin/partners').query({ q: 'alice' }).set(bearer(adminToken)).expect(200);
    expect(byName.body.items.map((p: { partnerId: string }) => p.partnerId)).toEqual([alice.partnerId]);
    const byId = await api().get('/v1/admin/partners').query({ q: bob.partnerId }).set(bearer(adminToken)).expect(200);
    expect(byId.body.items.map((p: { partnerId: string }) => p.partnerId)).toEqual([bob.partnerId]);
    // Regex characters are searched literally.
    const literal = await api().get('/v1/admin/partners').query({ q: '(a+b)' }).set(bearer(adminToken)).expect(200);
    expect(literal.body.items).toHaveLength(1);
    const pending = await api()
      .get('/v1/admin/partners')
      .query({ status: 'pending' })
      .set(bearer(adminToken))
      .expect(200);
    expect(pending.body.items.every((p: { status: string }) => p.status === 'pending')).toBe(true);
    expect(pending.body.nextCursor).toBeNull();
    expect(JSON.stringify(pending.body)).not.toMatch(/passwordHash|TokenHash|scrypt/);
    await api().get('/v1/admin/partners').query({ status: 'gone' }).set(bearer(adminToken)).expect(400);
  });

  it('overrides the commission rate (0–1), audited, and clears it', async () => {
    const set = await api()
      .patch(`/v1/admin/partners/${alice.partnerId}`)
      .set(bearer(adminToken))
      .send({ commissionRate: 0.3, reason: 'top partner' })
      .expect(200);
    expect(set.body).toMatchObject({ commissionRate: '0.3', rateOverride: true });
    expect((await collector.context.models.Partner.findById(alice.partnerId).lean())!.commissionRate).toBe(300000);
    for (const commissionRate of [1.5, -0.1, 'abc', 0.1234567]) {
      await api()
        .patch(`/v1/admin/partners/${alice.partnerId}`)
        .set(bearer(adminToken))
        .send({ commissionRate })
        .expect(400);
    }
    const cleared = await api()
      .patch(`/v1/admin/partners/${alice.partnerId}`)
      .set(bearer(adminToken))
      .send({ commissionRate: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ commissionRate: '0.25', rateOverride: false });
    await api().patch('/v1/admin/partners/nobody').set(bearer(adminToken)).send({ commissionRate: 0.1 }).expect(404);
  });

  it('shows a partner with their audit trail', async () => {
    await api()
      .post(`/v1/admin/partners/${bob.partnerId}/status`)
      .set(bearer(adminToken))
      .send({ status: 'frozen', reason: 'checking traffic' })
      .expect(200);
    const res = await api().get(`/v1/admin/partners/${bob.partnerId}`).set(bearer(adminToken)).expect(200);
    expect(res.body).toMatchObject({ partnerId: bob.partnerId, status: 'frozen' });
    expect(res.body.audit[0]).toMatchObject({
      actor: `admin:${adminId}`,
      action: 'partner.status',
      reason: 'checking traffic',
      details: { from: 'pending', to: 'frozen' },
    });
  });
});

describe('banners', () => {
  it('creates, lists, updates and deletes banners, with validation', async () => {
    const auth = bearer(adminToken);
    const created = await api()
      .post('/v1/admin/banners')
      .set(auth)
      .send({ name: 'Square', imageUrl: 'https://cdn.example/sq.png', width: 300, height: 250, altText: 'Ashop' })
      .expect(201);
    const id = created.body.bannerId as string;
    expect(id).toMatch(/^b_[0-9a-f]{8}$/);
    expect(created.body).toMatchObject({ targetPath: '/', active: true });
    await api()
      .post('/v1/admin/banners')
      .set(auth)
      .send({ bannerId: id, name: 'x', imageUrl: '/x.png', width: 1, height: 1, altText: 'x' })
      .expect(409);
    const bad = await api()
      .post('/v1/admin/banners')
      .set(auth)
      .send({ name: 'x', imageUrl: 'javascript:alert(1)', width: 0, height: 1, altText: 'x' })
      .expect(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['imageUrl', 'width']);
    const updated = await api()
      .patch(`/v1/admin/banners/${id}`)
      .set(auth)
      .send({ active: false, targetPath: '/pricing' })
      .expect(200);
    expect(updated.body).toMatchObject({ bannerId: id, active: false, targetPath: '/pricing' });
    const list = await api().get('/v1/admin/banners').set(auth).expect(200);
    expect(list.body.items.map((banner: { bannerId: string }) => banner.bannerId)).toContain(id);
    await api().delete(`/v1/admin/banners/${id}`).set(auth).expect(204);
    await api().delete(`/v1/admin/banners/${id}`).set(auth).expect(404);
    await api().patch(`/v1/admin/banners/${id}`).set(auth).send({ active: true }).expect(404);
  });
});

describe('partner report', () => {
  let top: TestPartner;
  let small: TestPartner;

  beforeAll(async () => {
    top = await createTestPartner(collector, { name: '=cmd|calc' });
    small = await createTestPartner(collector, { name: 'Small, "quoted"' });
    // Counters as the daily_stats migration hands them to the folder.
    const row = (partnerId: string, day: string, bid: string, clicks: number, revenue: number) => ({
      _id: `migrated:${partnerId}|${day}|${bid}`,
      kind: 'migrated',
      ref: `${partnerId}|${day}|${bid}`,
      createdAt: new Date(),
      contribution: {
        partnerId,
        day,
        banner: bid || null,
        counters: { clicks, uniqueClicks: clicks, signups: 1, customers: 1, revenue, commission: revenue / 4 },
      },
    });
    await collector.context.models.StatDelta.insertMany([
      row(top.partnerId, '2026-03-01', '', 10, 40000),
      row(top.partnerId, '2026-03-02', 'summer', 5, 20000),
      row(top.partnerId, '2026-04-15', '', 100, 1000000), // outside the range asked
      row(small.partnerId, '2026-03-05', '', 3, 4000),
    ]);
    await collector.context.tracking.flush();
    await addCommission(collector, top.partnerId, 15000, new Date(Date.now() - 200 * day));
    await addCommission(collector, top.partnerId, 5000, new Date());
  });

  const period = { from: '2026-03-01', to: '2026-03-31' };

  it('gives per-partner totals from the program summaries and the ledger, sorted', async () => {
    const res = await api()
      .get('/v1/admin/reports/partners')
      .query({ ...period, sort: 'clicks', order: 'desc' })
      .set(bearer(adminToken))
      .expect(200);
    const [first, second] = res.body.items;
    expect(first).toMatchObject({
      partnerId: top.partnerId,
      clicks: 15,
      uniqueClicks: 15,
      signups: 2,
      customers: 2,
      revenue: 60000,
      earned: 15000,
      commission: { pending: 5000, payable: 15000, paid: 0, reversed: 0 },
      balance: 15000,
    });
    expect(second).toMatchObject({ partnerId: small.partnerId, clicks: 3, revenue: 4000 });
    const asc = await api()
      .get('/v1/admin/reports/partners')
      .query({ ...period, sort: 'clicks', order: 'asc' })
      .set(bearer(adminToken))
      .expect(200);
    expect(asc.body.items.at(-1).partnerId).toBe(top.partnerId);
    await api().get('/v1/admin/reports/partners').query({ sort: 'password' }).set(bearer(adminToken)).expect(400);
  });

  it("gives each page the figures of the report over all partners, from the partners' own month days", async () => {
    const report = async (query: Record<string, string | number>) =>
      (await api().get('/v1/admin/reports/partners').query(query).set(bearer(adminToken)).expect(200)).body;
    const byPartner = new Map(
      (await report(period)).items.map((row: { partnerId: string }) => [row.partnerId, row] as const),
    );
    const paged = async () => {
      const rows: Array<{ partnerId: string }> = [];
      let cursor: string | null = null;
      do {
        const page = await report({ ...period, limit: 1, ...(cursor ? { cursor } : {}) });
        rows.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return rows;
    };
    const rows = await paged();
    expect(rows).toHaveLength(byPartner.size);
    for (const row of rows) expect(row).toEqual(byPartner.get(row.partnerId));

    // A data folder of an older version has no stat_days: pages read the program summaries until
    // the folder has copied the buckets' days, once.
    const { models, logger } = collector.context;
    await models.StatDay.collection.drop();
    await models.StatFold.deleteOne({ _id: daysMigrationId });
    for (const row of await paged()) expect(row).toEqual(byPartner.get(row.partnerId));
    await new StatsFolder(models, logger, { foldMs: 60_000, graceMs: 60_000 }).flush();
    const copied = await models.StatDay.findById(`${top.partnerId}|2026-03`).lean();
    expect(unpackDays(copied!.packedDays)).toMatchObject({
      '01': expect.objectContaining({ clicks: 10 }),
      '02': expect.objectContaining({ clicks: 5 }),
    });
    for (const row of await paged()) expect(row).toEqual(byPartner.get(row.partnerId));
  });

  it('covers every partner without a limit (more than a page)', async () => {
    for (let n = 0; n < 55; n++) await createTestPartner(collector);
    const all = await api().get('/v1/admin/reports/partners').query(period).set(bearer(adminToken)).expect(200);
    const count = (await api().get('/v1/admin/partners').query({ limit: 200 }).set(bearer(adminToken))).body.items
      .length;
    expect(count).toBeGreaterThan(57);
    expect(all.body.items).toHaveLength(count);
    expect(all.body.nextCursor).toBeNull();
    const csv = await api().get('/v1/admin/reports/partners.csv').query(period).set(bearer(adminToken)).expect(200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(count + 1);
  });

  it('exports CSV (spreadsheet-safe) at .csv and with format=csv', async () => {
    const csv = await api()
      .get('/v1/admin/reports/partners.csv')
      .query({ ...period, sort: 'revenue' })
      .set(bearer(adminToken))
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'partnerId,name,email,status,clicks,uniqueClicks,signups,customers,revenue,earned,pending,payable,paid,reversed,balance',
    );
    expect(lines[1]).toBe(
      `${top.partnerId},'=cmd|calc,${top.email},active,15,15,2,2,600.00,150.00,50.00,150.00,0.00,0.00,150.00`,
    );
    expect(csv.text).toContain(`${small.partnerId},"Small, ""quoted""",`);
    const viaFormat = await api()
      .get('/v1/admin/reports/partners')
      .query({ ...period, sort: 'revenue', format: 'csv' })
      .set(bearer(adminToken))
      .expect(200);
    expect(viaFormat.text).toBe(csv.text);
  });
});

describe('audit log', () => {
  it('records every operator action with who, what and why', async () => {
    const res = await api().get('/v1/admin/audit').query({ limit: 1000 }).set(bearer(adminToken)).expect(200);
    const actions = new Set(res.body.items.map((entry: { action: string }) => entry.action));
    for (const action of [
      'admin.create',
      'partner.commission-rate',
      'partner.status',
      'banner.create',
      'banner.update',
      'banner.delete',
    ]) {
      expect(actions).toContain(action);
    }
    for (const entry of res.body.items)
      expect(entry).toMatchObject({ actor: expect.any(String), subject: expect.any(String), at: expect.any(String) });
    const rate = res.body.items.find(
      (entry: { action: string; reason?: string }) => entry.action === 'partner.commission-rate' && entry.reason,
    );
    expect(rate).toMatchObject({
      actor: `admin:${adminId}`,
      reason: 'top partner',
      details: { from: null, to: '0.3' },
    });
  });
});
