import type { Collector } from '../../collector/app';
import { purgeOldClicks } from '../../collector/services/retention';
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
