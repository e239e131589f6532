// Months busier than a chunk: statement lines and book customers split into chunks of at most 50,
// trees of chunks when a head would name too many, paged completely, folded once after a crash
// mid-split, and reshaped once from an older data folder.
// Their own database: the volume here would slow every refold of a shared one.
import { randomUUID } from 'node:crypto';
import type { Collector } from '../../../collector/app';
import { StatsFolder } from '../../../collector/services/stats-folder';
import { partnerBalance } from '../../../collector/services/statements';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner, day } from '../../support/partners';
import { fromLedger, moneyApi, partnerWithBoundCustomer } from './support';

const db = useTestDatabase(__filename);
let collector: Collector;
const { api, invoice, refund } = moneyApi(() => collector);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const flush = () => collector.context.tracking.flush();

type StoredMonth = { _id: string; month: string; lines?: unknown; chunks?: unknown };
const refsOf = (doc: StoredMonth | undefined) => (doc?.chunks ?? []) as Array<{ id: string; from: string }>;

/** The IDs a head reaches, its leaves' refs newest first, and how many levels of chunks it has. */
function reach(docs: readonly StoredMonth[], headId: string) {
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  const ids: string[] = [];
  const leaves: Array<{ id: string; from: string }> = [];
  let depth = 0;
  const walk = (doc: StoredMonth | undefined, level: number) => {
    depth = Math.max(depth, level);
    for (const ref of refsOf(doc)) {
      ids.push(ref.id);
      const child = byId.get(ref.id);
      if (refsOf(child).length === 0) leaves.push(ref);
      walk(child, level + 1);
    }
  };
  walk(byId.get(headId), 0);
  return { ids, leaves, depth };
}

/** Posts `count` invoices of a bound customer (not folded), all dated within last month. */
async function busyMonth(partner: { customerId: string }, count: number) {
  const now = new Date();
  const middle = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15);
  const daysAgo = (n: number) => (now.getTime() - middle) / day - n / 10_000;
  const events: string[] = [];
  for (let n = 0; n < count; n++) {
    events.push(`inv_${randomUUID()}`);
    await invoice(partner.customerId, 4000 + n, daysAgo(n), events[n]).expect(201);
  }
  return { events, month: new Date(middle).toISOString().slice(0, 7) };
}

async function allCommissions(token: string, limit: number) {
  const seen: Array<{ eventId: string; occurredAt: string; refunded: number }> = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = { limit, ...(cursor ? { cursor } : {}) };
    const page = await api().get('/v1/me/commissions').query(query).set(bearer(token)).expect(200);
    seen.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}
/** Well over a hundred writes through the API: slow on a busy machine. */
const busyTimeout = 180_000;

beforeAll(async () => {
  collector = await testCollector(db.connection());
  // No background fold: the tests fold when they say so.
  await collector.context.tracking.stats.close();
});

afterAll(async () => {
  await collector.close();
});

describe('a busy month', () => {
  it(
    'is kept in chunks of at most 50 lines, paged completely, and finished once after a crash mid-split',
    async () => {
      const partner = await partnerWithBoundCustomer(collector);
      const now = new Date();
      const middle = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15);
      const daysAgo = (n: number) => (now.getTime() - middle) / day - n / 10_000;
      const events: string[] = [];
      const post = async (from: number, to: number) => {
        for (let n = from; n < to; n++) {
          events.push(`inv_${randomUUID()}`);
          await invoice(partner.customerId, 4000 + n, daysAgo(n), events[n]).expect(201);
        }
      };
      await post(0, 60);
      await flush();
      await post(60, 120);
      await flush();
      await post(120, 130);
      for (const eventId of events.slice(0, 3)) await refund(eventId, 400).expect(201);

      // Killed after the first new chunk of this fold was written, before the head naming it.
      const { models, logger } = collector.context;
      const chunk = new RegExp(`^${partner.partnerId}\\|\\d{4}-\\d{2}\\|\\d+\\.\\d+$`);
      const crashing = new StatsFolder(models, logger, {
        foldMs: 60_000,
        graceMs: 60_000,
        afterBucketWrite: async (id) => {
          if (chunk.test(id)) throw new Error('killed mid-fold');
        },
      });
      await expect(crashing.flush()).rejects.toThrow('killed mid-fold');
      await new StatsFolder(models, logger, { foldMs: 60_000, graceMs: 60_000 }).flush();

      const docs = await models.StatementMonth.find({ partnerId: partner.partnerId }).lean();
      const head = docs.find(
        (doc) => doc._id === `${partner.partnerId}|${new Date(middle).toISOString().slice(0, 7)}`,
      )!;
      const chunks = (head.chunks ?? []) as Array<{ id: string }>;
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      // Every document is the head or a chunk it names (none left behind), and none holds more than 50 lines.
      for (const doc of docs) {
        if (doc._id !== head._id && !doc._id.endsWith('|' + doc.month))
          expect(chunks.map((ref) => ref.id)).toContain(doc._id);
        expect(((doc.lines ?? []) as unknown[]).length).toBeLessThanOrEqual(50);
      }

      const seen: Array<{ eventId: string; occurredAt: string; refunded: number }> = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { limit: 50, ...(cursor ? { cursor } : {}) };
        const page = await api().get('/v1/me/commissions').query(query).set(bearer(partner.token)).expect(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.map((line) => line.eventId).sort()).toEqual([...events].sort());
      expect([...seen.map((line) => line.occurredAt)].sort().reverse()).toEqual(seen.map((line) => line.occurredAt));
      expect(seen.filter((line) => line.refunded > 0)).toHaveLength(3);
      expect(await partnerBalance(collector.context, partner.partnerId, new Date())).toMatchObject(
        await fromLedger(collector, partner.partnerId, new Date()),
      );

      // A data folder of an older version keeps the month whole: the next folder splits it once.
      const whole = [];
      for (const ref of chunks) whole.push(...(docs.find((doc) => doc._id === ref.id)!.lines as unknown[]));
      await models.StatementMonth.collection.replaceOne({ _id: head._id } as never, {
        partnerId: head.partnerId,
        month: head.month,
        seq: head.seq,
        lines: whole,
      });
      for (const ref of chunks) await models.StatementMonth.deleteOne({ _id: ref.id });
      await models.StatFold.deleteOne({ _id: 'migration:month_tree' });
      const all = async () =>
        (await api().get('/v1/me/commissions').query({ limit: 200 }).set(bearer(partner.token)).expect(200)).body;
      const old = await all();
      expect(old.items).toHaveLength(130);
      await new StatsFolder(models, logger, { foldMs: 60_000, graceMs: 60_000 }).flush();
      const after = await models.StatementMonth.find({ partnerId: partner.partnerId }).lean();
      expect(after.every((doc) => ((doc.lines ?? []) as unknown[]).length <= 50)).toBe(true);
      expect((await models.StatementMonth.findById(head._id).lean())!.chunks).toHaveLength(3);
      expect(await all()).toEqual(old);
    },
    busyTimeout,
  );

  it(
    'keeps a busy month of signups in chunks of at most 50, with later commission changes in the right one',
    async () => {
      const partner = await createTestPartner(collector);
      const { models } = collector.context;
      const now = new Date();
      const middle = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15);
      const customers: string[] = [];
      const invoices: string[] = [];
      for (let n = 0; n < 70; n++) {
        const customerId = `cus_${randomUUID()}`;
        customers.push(customerId);
        const boundAt = new Date(middle + n * 60_000);
        await models.Customer.create({ _id: customerId, partnerId: partner.partnerId, clickId: randomUUID(), boundAt });
        invoices.push(`inv_${randomUUID()}`);
        await invoice(customerId, 4000, (now.getTime() - boundAt.getTime()) / day - 0.01, invoices[n]).expect(201);
      }
      await flush();
      // Commission taken back later: each change must reach its customer wherever the split put it.
      for (const n of [0, 35, 69]) await refund(invoices[n]!, 400).expect(201);
      await flush();

      const docs = await models.CustomerBook.find({ partnerId: partner.partnerId }).lean();
      expect(docs.length).toBeGreaterThan(2);
      expect(docs.every((doc) => ((doc.customers ?? []) as unknown[]).length <= 50)).toBe(true);
      const seen: Array<{ customerId: string; lifetimeCommission: number }> = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { limit: 30, ...(cursor ? { cursor } : {}) };
        const page = await api().get('/v1/me/customers').query(query).set(bearer(partner.token)).expect(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.map((customer) => customer.customerId)).toEqual([...customers].reverse());
      const commission = new Map(seen.map((customer) => [customer.customerId, customer.lifetimeCommission]));
      expect([0, 35, 69, 1].map((n) => commission.get(customers[n]!))).toEqual([900, 900, 900, 1000]);
    },
    busyTimeout,
  );

  it(
    'grows a level when a head would name too many chunks, survives a crash in its fold, and reshapes an old wide head',
    async () => {
      const partner = await partnerWithBoundCustomer(collector);
      const { models, logger } = collector.context;
      const limits = { items: 4, refs: 3 };
      const folder = (afterBucketWrite?: (id: string) => Promise<void>) =>
        new StatsFolder(models, logger, { foldMs: 60_000, graceMs: 60_000, monthLimits: limits, afterBucketWrite });
      await flush();
      const { events, month } = await busyMonth(partner, 40);
      // Small chunks: 40 lines make a tree of three levels; a second batch rewrites some of it.
      await folder().flush();
      for (const eventId of events.slice(0, 3)) await refund(eventId, 400).expect(201);
      const written: string[] = [];
      await expect(
        folder(async (id) => {
          written.push(id);
          if (written.filter((each) => each.includes(`|${month}|`)).length === 2) throw new Error('killed mid-fold');
        }).flush(),
      ).rejects.toThrow('killed mid-fold');
      await folder().flush();

      const headId = `${partner.partnerId}|${month}`;
      const docs = (await models.StatementMonth.find({ partnerId: partner.partnerId }).lean()) as StoredMonth[];
      const { ids, depth } = reach(docs, headId);
      expect(depth).toBeGreaterThanOrEqual(3);
      // Every stored chunk is reached from the head (none left behind by the crash), all within the limits.
      expect(
        docs
          .filter((doc) => doc._id.split('|').length === 3)
          .map((doc) => doc._id)
          .sort(),
      ).toEqual(ids.sort());
      for (const doc of docs) {
        expect(refsOf(doc).length).toBeLessThanOrEqual(limits.refs);
        expect(((doc.lines ?? []) as unknown[]).length).toBeLessThanOrEqual(limits.items);
      }
      const seen = await allCommissions(partner.token, 7);
      expect(seen.map((line) => line.eventId).sort()).toEqual([...events].sort());
      expect([...seen.map((line) => line.occurredAt)].sort().reverse()).toEqual(seen.map((line) => line.occurredAt));
      expect(seen.filter((line) => line.refunded > 0)).toHaveLength(3);
      expect(await partnerBalance(collector.context, partner.partnerId, new Date())).toMatchObject(
        await fromLedger(collector, partner.partnerId, new Date()),
      );

      // An older version's head naming more chunks than a head may (here: every leaf) is reshaped once.
      const leaves = reach(docs, headId).leaves;
      expect(leaves.length).toBeGreaterThan(limits.refs);
      for (const id of ids.filter((id) => !leaves.some((leaf) => leaf.id === id))) {
        await models.StatementMonth.deleteOne({ _id: id });
      }
      const head = docs.find((doc) => doc._id === headId)!;
      await models.StatementMonth.updateOne({ _id: headId }, { $set: { chunks: leaves, retired: [] } });
      await models.StatFold.deleteOne({ _id: 'migration:month_tree' });
      expect(await allCommissions(partner.token, 7)).toEqual(seen);
      await folder().flush();
      const reshaped = (await models.StatementMonth.find({ partnerId: partner.partnerId }).lean()) as StoredMonth[];
      expect(reach(reshaped, headId).depth).toBeGreaterThanOrEqual(2);
      expect(reshaped.every((doc) => refsOf(doc).length <= limits.refs)).toBe(true);
      expect(reach(reshaped, headId).leaves).toEqual(leaves);
      expect(reshaped.find((doc) => doc._id === headId)).toMatchObject({ seq: (head as { seq?: number }).seq });
      expect(await allCommissions(partner.token, 7)).toEqual(seen);
    },
    busyTimeout,
  );
});
