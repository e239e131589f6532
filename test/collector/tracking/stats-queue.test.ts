import pino from 'pino';
import { createModels, syncIndexes, type Models } from '../../../collector/models';
import { dailyStatId, StatsQueue } from '../../../collector/services/stats-queue';
import { useTestDatabase } from '../../support/db';

const db = useTestDatabase(__filename);
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection());
  await syncIndexes(models);
});

test('increments are coalesced per document and every counter exists after the first upsert', async () => {
  const queue = new StatsQueue(models, pino({ level: 'silent' }), 10_000);
  for (let i = 0; i < 500; i++) {
    queue.add('p1', '2026-05-01', i % 2 ? 'summer' : undefined, { clicks: 1, uniqueClicks: i % 5 === 0 ? 1 : 0 });
  }
  queue.add('p1', '2026-05-01', undefined, { revenue: 2900, commission: 725 });
  queue.add('p1', '2026-05-01', undefined, { revenue: -2900, commission: -725 });
  await queue.flush();
  const rows = await models.DailyStat.find({ partnerId: 'p1' }).sort({ _id: 1 }).lean();
  expect(rows).toEqual([
    {
      _id: dailyStatId('p1', '2026-05-01', ''),
      partnerId: 'p1',
      day: '2026-05-01',
      bid: '',
      clicks: 250,
      uniqueClicks: 50,
      signups: 0,
      customers: 0,
      revenue: 0,
      commission: 0,
    },
    {
      _id: 'p1|2026-05-01|summer',
      partnerId: 'p1',
      day: '2026-05-01',
      bid: 'summer',
      clicks: 250,
      uniqueClicks: 50,
      signups: 0,
      customers: 0,
      revenue: 0,
      commission: 0,
    },
  ]);
  await queue.close();
});

test('later flushes add to what is stored; close drains what is pending', async () => {
  const queue = new StatsQueue(models, pino({ level: 'silent' }), 10_000);
  queue.add('p2', '2026-05-02', 'b', { signups: 1 });
  await queue.flush();
  queue.add('p2', '2026-05-02', 'b', { signups: 2, customers: 1 });
  await queue.close();
  expect(await models.DailyStat.findById('p2|2026-05-02|b').lean()).toMatchObject({
    signups: 3,
    customers: 1,
    clicks: 0,
  });
});
