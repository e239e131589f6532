import type { Collector } from '../../collector/app';
import { purgeOldClicks } from '../../collector/services/retention';
import { purgeVisitorHistories } from '../../collector/services/visitor-history';
import { testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection(), { ASHOP_CLICK_RETENTION_DAYS: '400' });
});

it('deletes raw clicks older than the retention period and keeps the rest', async () => {
  const { Click } = collector.context.models;
  const now = new Date('2026-11-24T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const click = (id: string, occurredAt: Date) => ({ _id: id, partnerId: 'p1', counted: true, occurredAt });
  await Click.insertMany([click('old', daysAgo(401)), click('edge', daysAgo(399)), click('new', daysAgo(1))]);

  expect(await purgeOldClicks(collector.context, now)).toBe(1);
  const left = await Click.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
  expect(left.map((c) => c._id)).toEqual(['edge', 'new']);
  expect(await purgeOldClicks(collector.context, now)).toBe(0);
});

it("deletes a visitor's history as a whole once its last click is past the window, never a part of it", async () => {
  const { VisitorClick } = collector.context.models;
  const now = new Date('2026-11-24T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const entry = (vid: string, n: number, occurredAt: Date) => ({
    _id: `${vid}:${n}`,
    cid: `${vid}-${n}`,
    partnerId: 'p1',
    occurredAt,
  });
  const gone = '00000000-0000-4000-8000-000000000001';
  const kept = '00000000-0000-4000-8000-000000000002';
  // Window 60 days (+1): `gone` clicked 70 and 62 days ago; `kept` 90 days ago and yesterday.
  await VisitorClick.insertMany([
    entry(gone, 0, daysAgo(70)),
    entry(gone, 1, daysAgo(62)),
    entry(kept, 0, daysAgo(90)),
    entry(kept, 1, daysAgo(1)),
  ]);
  expect(await purgeVisitorHistories(collector.context, now)).toBe(2);
  const left = await VisitorClick.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
  expect(left.map((doc) => doc._id)).toEqual([`${kept}:0`, `${kept}:1`]);
});
