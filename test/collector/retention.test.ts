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
afterAll(() => collector.close());

const now = new Date('2026-11-24T12:00:00Z');
const ageMs = (ms: number) => new Date(now.getTime() - ms);
const day = 86_400_000;
const click = (id: string, occurredAt: Date) => ({ _id: id, partnerId: 'p1', counted: true, occurredAt });

it('deletes raw clicks older than the retention period and keeps the rest', async () => {
  const { Click } = collector.context.models;
  await Click.insertMany([click('old', ageMs(401 * day)), click('recent', ageMs(399 * day)), click('new', ageMs(day))]);

  expect(await purgeOldClicks(collector.context, now)).toBe(1);
  const left = await Click.find({ _id: { $in: ['old', 'recent', 'new'] } }, { _id: 1 })
    .sort({ _id: 1 })
    .lean();
  expect(left.map((c) => c._id)).toEqual(['new', 'recent']);
  expect(await purgeOldClicks(collector.context, now)).toBe(0);
});

it('keeps a click exactly 400 days old and one a millisecond younger; deletes one a millisecond older', async () => {
  const { Click } = collector.context.models;
  await Click.insertMany([
    click('at-400-days', ageMs(400 * day)),
    click('just-younger', ageMs(400 * day - 1)),
    click('just-older', ageMs(400 * day + 1)),
  ]);

  expect(await purgeOldClicks(collector.context, now)).toBe(1);
  const left = await Click.find({ _id: { $in: ['at-400-days', 'just-younger', 'just-older'] } }, { _id: 1 })
    .sort({ _id: 1 })
    .lean();
  expect(left.map((c) => c._id)).toEqual(['at-400-days', 'just-younger']);
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
