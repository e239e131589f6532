// Operator lists of partners, customers, commissions, payouts and banners: filters, cursor pages,
// single records.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { testAdminKey, testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { addCommission, createTestPartner, day } from '../support/partners';

const db = useTestDatabase(__filename);
const admin = { Authorization: `Bearer ${testAdminKey}` };
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection());
});
afterAll(() => collector.close());

const get = (path: string) => request(collector.app).get(path).set(admin);

/** Every item of a list, page by page; each page at most `limit` long. */
async function walk(path: string, limit: number, from: string | null = null) {
  const items: Array<Record<string, unknown>> = [];
  let cursor = from;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const res: request.Response = await get(
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    ).expect(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

test('customers: pages of a partner, in a stable order; a customer added meanwhile is seen once', async () => {
  const { partnerId } = await createTestPartner(collector);
  const other = await createTestPartner(collector);
  const bind = (owner: string, id = `cus_${randomUUID()}`) =>
    collector.context.models.Customer.create({ _id: id, partnerId: owner, clickId: randomUUID(), boundAt: new Date() });
  for (let i = 0; i < 7; i++) await bind(partnerId, `cus_${i}_${randomUUID()}`);
  await bind(other.partnerId);
  const first = await get(`/v1/admin/customers?partnerId=${partnerId}&limit=3`).expect(200);
  expect(first.body.items).toHaveLength(3);
  await bind(partnerId, 'cus_zzz_last');
  const rest = await walk(`/v1/admin/customers?partnerId=${partnerId}`, 3, first.body.nextCursor);
  const ids = [...first.body.items, ...rest].map((item) => item.customerId as string);
  expect(ids).toHaveLength(8);
  expect(new Set(ids).size).toBe(8);
  expect([...ids].sort()).toEqual(ids);
  expect(ids.at(-1)).toBe('cus_zzz_last');
  const one = await get(`/v1/admin/customers/${ids[0]}`).expect(200);
  expect(one.body).toMatchObject({ customerId: ids[0], partnerId });
  await get('/v1/admin/customers/nobody').expect(404);
});

test('commissions: filters by partner and kind, statuses, and the payout that paid them', async () => {
  const { partnerId } = await createTestPartner(collector);
  const old = await addCommission(collector, partnerId, 12_000, new Date(Date.now() - 200 * day));
  const fresh = await addCommission(collector, partnerId, 3_000, new Date());
  const run = await request(collector.app).post('/v1/admin/payouts').set(admin).send({}).expect(201);
  const items = await walk(`/v1/admin/commissions?partnerId=${partnerId}&kind=commission`, 1);
  expect(items.map((item) => [item.id, item.status, item.payoutId])).toEqual(
    [
      [old, 'paid', run.body.payoutId],
      [fresh, 'pending', null],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  expect(await walk(`/v1/admin/commissions?partnerId=${partnerId}&kind=clawback`, 5)).toEqual([]);
  const one = await get(`/v1/admin/commissions/${encodeURIComponent(fresh)}`).expect(200);
  expect(one.body).toMatchObject({ id: fresh, amount: 3_000, status: 'pending' });
  await get('/v1/admin/commissions/commission:none').expect(404);
});

test('bad filters and foreign cursors are 400', async () => {
  const res = await get('/v1/admin/commissions?cursor=not-ours').expect(400);
  expect(res.body.errors[0]).toMatchObject({ field: 'cursor' });
  await get('/v1/admin/commissions?kind=bonus').expect(400);
  await get('/v1/admin/customers?limit=0').expect(400);
  await get('/v1/admin/customers?color=red').expect(400);
  // The partner list had offset pages: an old client's `page` is refused, not silently page one.
  await get('/v1/admin/partners?page=2').expect(400);
  await get('/v1/admin/payouts?status=paid').expect(400);
});

test('partners: newest first with the search and status filters; one created during a walk is not mixed in', async () => {
  const tag = randomUUID().slice(0, 8);
  const frozen = [];
  for (let i = 0; i < 5; i++)
    frozen.push(await createTestPartner(collector, { status: 'frozen', name: `Frozen ${tag}` }));
  await createTestPartner(collector, { name: `Active ${tag}` });
  const first = await get(`/v1/admin/partners?q=${tag}&status=frozen&limit=2`).expect(200);
  expect(first.body.items).toHaveLength(2);
  // Newer than every page already read: the walk below the cursor never shows it; a new walk starts with it.
  const late = await createTestPartner(collector, { status: 'frozen', name: `Frozen ${tag}` });
  const rest = await walk(`/v1/admin/partners?q=${tag}&status=frozen`, 2, first.body.nextCursor);
  const ids = [...first.body.items, ...rest].map((item) => item.partnerId as string);
  expect(ids).toEqual(frozen.map((partner) => partner.partnerId).reverse());
  const again = await walk(`/v1/admin/partners?q=${tag}&status=frozen`, 4);
  expect(again.map((item) => item.partnerId)).toEqual([late.partnerId, ...ids]);
  expect((await walk(`/v1/admin/partners?q=${tag}`, 50)).length).toBe(7);
  expect((await walk(`/v1/admin/partners?q=${tag.toUpperCase()}&status=active`, 50)).length).toBe(1);
  // An exact partner ID is found by key (its name need not match).
  const byId = await get(`/v1/admin/partners?q=${late.partnerId}`).expect(200);
  expect(byId.body).toEqual({ items: [expect.objectContaining({ partnerId: late.partnerId })], nextCursor: null });
  await get(`/v1/admin/partners?q=${late.partnerId}&status=active`).expect(200);
});

test('payouts: newest first by ID, filtered by status', async () => {
  const { models } = collector.context;
  const batch = (id: string, status: 'open' | 'completed') =>
    models.Payout.create({
      _id: id,
      asOf: new Date(),
      currency: 'USD',
      status,
      items: [],
      withheld: [],
      createdBy: 'test',
      createdAt: new Date(),
    });
  for (const [id, status] of [
    ['po_20990101_a', 'completed'],
    ['po_20990102_a', 'open'],
    ['po_20990103_a', 'completed'],
    ['po_20990104_a', 'completed'],
  ] as const)
    await batch(id, status);
  const completed = await walk('/v1/admin/payouts?status=completed', 2);
  expect(completed.slice(0, 3).map((payout) => payout.payoutId)).toEqual([
    'po_20990104_a',
    'po_20990103_a',
    'po_20990101_a',
  ]);
  expect(completed.every((payout) => payout.status === 'completed')).toBe(true);
  const all = await walk('/v1/admin/payouts', 3);
  expect(all.map((payout) => payout.payoutId)).toEqual(
    [...all.map((payout) => payout.payoutId as string)].sort().reverse(),
  );
  expect(all.map((payout) => payout.payoutId)).toContain('po_20990102_a');
});

test('banners: pages by ID', async () => {
  for (const id of ['b_page_3', 'b_page_1', 'b_page_2'])
    await request(collector.app)
      .post('/v1/admin/banners')
      .set(admin)
      .send({ bannerId: id, name: id, imageUrl: '/b.png', width: 1, height: 1, altText: id })
      .expect(201);
  const banners = await walk('/v1/admin/banners', 2);
  expect(banners.map((banner) => banner.bannerId)).toEqual(['b_page_1', 'b_page_2', 'b_page_3']);
});
