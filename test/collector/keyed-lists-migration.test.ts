// Payout batches written before partners had keyed payout lists are moved into them once, at
// start-up; a move done again (a crash, a second process) adds nothing twice.
import { completedKey, sealedKey } from '../../collector/domain/payout';
import { createLogger } from '../../collector/logger';
import { createModels, syncIndexes, type Models } from '../../collector/models';
import { migrateKeyedLists } from '../../collector/services/keyed-lists-migration';
import { partnerPayouts, payoutsStream } from '../../collector/services/partner-payouts';
import { logLength } from '../../collector/services/keyed-log';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let models: Models;
const logger = createLogger('silent');

const batch = (id: string, day: string, status: string, partners: string[]) => ({
  _id: id,
  asOf: new Date(`${day}T00:00:00Z`),
  currency: 'USD',
  status,
  items: partners.map((partnerId, i) => ({
    partnerId,
    amount: 1000 * (i + 1),
    payoutEmail: `${partnerId}@pay.example`,
    entryIds: [`commission:${id}-${partnerId}`],
    status: status === 'completed' ? 'paid' : 'pending',
  })),
  withheld: [],
  createdBy: 'key:old',
  createdAt: new Date(`${day}T01:00:00Z`),
});

beforeAll(async () => {
  models = createModels(db.connection());
  await syncIndexes(models);
  await models.Payout.insertMany([
    batch('po_old_1', '2026-01-01', 'completed', ['pa', 'pb']),
    batch('po_old_2', '2026-02-01', 'open', ['pa']),
    batch('po_dead', '2026-02-15', 'abandoned', ['pa']),
  ]);
  const at = new Date('2026-03-01T00:00:00Z');
  await models.OnceClaim.insertMany([
    { _id: sealedKey('po_old_1'), holder: 'payout:po_old_1', data: { outcome: 'open' }, at },
    { _id: completedKey('po_old_1'), holder: 'complete:x', data: { failed: ['pb'] }, at },
    { _id: sealedKey('po_old_2'), holder: 'payout:po_old_2', data: { outcome: 'open' }, at },
  ]);
});

describe('moving payout lists', () => {
  it('lists every opened batch in its partners’ lists, newest first, once', async () => {
    expect(await migrateKeyedLists(models, logger, 'test')).toBe(3);
    const a = await partnerPayouts({ models }, 'pa', { limit: 10 });
    expect(a.items.map((item) => [item.payoutId, item.status, item.amount])).toEqual([
      ['po_old_2', 'pending', 1000],
      ['po_old_1', 'paid', 1000],
    ]);
    const b = await partnerPayouts({ models }, 'pb', { limit: 10 });
    expect(b.items.map((item) => [item.payoutId, item.status, item.amount])).toEqual([['po_old_1', 'failed', 2000]]);
    // Done: a later start does nothing.
    expect(await migrateKeyedLists(models, logger, 'other')).toBe(0);
  });

  it('adds nothing when a move is done again after a crash', async () => {
    await models.OnceClaim.deleteMany({ _id: { $regex: '^migration:keyed-lists' } });
    expect(await migrateKeyedLists(models, logger, 'again')).toBe(0);
    expect(await logLength(models.PartnerPayout.collection, payoutsStream('pa'))).toBe(2);
    expect(await logLength(models.PartnerPayout.collection, payoutsStream('pb'))).toBe(1);
  });
});
