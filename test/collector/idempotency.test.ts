// Idempotency-Key on the operator's POST endpoints: replays answer the first answer, never a second effect.
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { createApiKey } from '../../collector/auth/api-keys';
import { fingerprint } from '../../collector/services/fingerprint';
import { abandonedKeyMs } from '../../collector/services/idempotency';
import { testAdminKey, testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { addCommission, createTestPartner, day } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
const admin = { Authorization: `Bearer ${testAdminKey}` };
const banner = { name: 'Summer', imageUrl: '/b/summer.png', width: 300, height: 250, altText: 'Summer sale' };

beforeAll(async () => {
  collector = await testCollector(db.connection());
});
afterAll(() => collector.close());

const createBanner = (key: string, body: object = banner, auth = admin) =>
  request(collector.app).post('/v1/admin/banners').set(auth).set('Idempotency-Key', key).send(body);

test('the same key and body replay the first answer; only one banner exists', async () => {
  const first = await createBanner('k-replay').expect(201);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  const second = await createBanner('k-replay').expect(201);
  expect(second.headers['idempotent-replayed']).toBe('true');
  expect(second.headers['content-type']).toMatch(/application\/json/);
  expect(second.body).toEqual(first.body);
  // bannerId is generated per request: a second banner would have another one.
  expect(await collector.context.models.Banner.countDocuments({ name: 'Summer' })).toBe(1);
});

test('the same key with another body is 422; with another caller it is another key', async () => {
  await createBanner('k-other', { ...banner, name: 'Winter' }).expect(201);
  const reused = await createBanner('k-other', { ...banner, name: 'Autumn' }).expect(422);
  expect(reused.body.type).toBe('/problems/idempotency-key-reused');
  const otherCaller = { Authorization: `Bearer ${await createApiKey(collector.context.models, 'admin', 'ci')}` };
  await createBanner('k-other', { ...banner, name: 'Autumn' }, otherCaller).expect(201);
  expect(await collector.context.models.Banner.countDocuments({ name: { $in: ['Winter', 'Autumn'] } })).toBe(2);
});

test('an error answer is replayed too (the request did not change)', async () => {
  const bad = await createBanner('k-bad', { ...banner, width: -1 }).expect(400);
  const again = await createBanner('k-bad', { ...banner, width: -1 }).expect(400);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.body).toEqual(bad.body);
});

test('concurrent requests under one key run once: the others replay or are told it is running (409)', async () => {
  for (let round = 0; round < 5; round++) {
    // Someone to pay in every round: a run with nobody to pay creates no batch.
    const { partnerId } = await createTestPartner(collector);
    await addCommission(collector, partnerId, 20_000, new Date(Date.now() - 200 * day));
    const key = `k-run-${round}`;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        request(collector.app).post('/v1/admin/payouts').set(admin).set('Idempotency-Key', key).send({}),
      ),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const ids = new Set(answers.filter((res) => res.status === 201).map((res) => res.body.payoutId));
    expect(ids.size).toBe(1);
  }
  expect(await collector.context.models.Payout.countDocuments()).toBe(5);
});

test('a key left pending by a process that died is taken again after the abandon time; a live one is 409', async () => {
  const body = { ...banner, name: 'Stale' };
  const pending = (key: string, createdAt: Date) =>
    collector.context.models.IdempotencyKey.create({
      _id: `key:env:ASHOP_ADMIN_KEY:${key}`,
      fingerprint: fingerprint({ method: 'POST', path: '/v1/admin/banners', body }),
      state: 'pending',
      createdAt,
    });
  await pending('k-stale', new Date(Date.now() - abandonedKeyMs - 1000));
  await createBanner('k-stale', body).expect(201);
  await pending('k-running', new Date());
  const running = await createBanner('k-running', body).expect(409);
  expect(running.body.type).toBe('/problems/idempotency-key-in-use');
  expect(await collector.context.models.Banner.countDocuments({ name: 'Stale' })).toBe(1);
});

test('a malformed key is 400; GET and requests without the header are untouched', async () => {
  await createBanner('has space').expect(400);
  await request(collector.app).get('/v1/admin/banners').set(admin).set('Idempotency-Key', 'k-get').expect(200);
  expect(await collector.context.models.IdempotencyKey.exists({ _id: 'key:env:ASHOP_ADMIN_KEY:k-get' })).toBeNull();
});
