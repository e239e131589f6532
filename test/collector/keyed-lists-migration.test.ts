// Lists written before they were keyed logs (payout batches, partners, the audit log, notes) are
// moved into them once, at start-up, and so are the entries finished payout batches held; a move
// done again (a crash, a second process) adds nothing twice.
import { completedKey, sealedKey } from '../../collector/domain/payout';
import { createLogger } from '../../collector/logger';
import { createModels, syncIndexes, type Models } from '../../collector/models';
import { migrateKeyedLists } from '../../collector/services/keyed-lists-migration';
import { partnerPayouts, payoutsStream } from '../../collector/services/partner-payouts';
import { itemEntryIds } from '../../collector/services/payout-entries';
import { logLength } from '../../collector/services/keyed-log';
import { auditStream, auditTrail } from '../../collector/services/audit';
import { createPartner, directoryPage } from '../../collector/services/partner-directory';
import { directoryStream } from '../../collector/domain/partner-directory';
import { notesStream, partnerNotes } from '../../collector/services/partner-notes';
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
  // Partners, audit entries and notes as the versions before the directory and trails wrote them.
  const at = (day: string) => new Date(`${day}T12:00:00Z`);
  await models.Partner.collection.insertMany(
    [
      ['pa', '2026-01-02'],
      ['pb', '2026-01-01'],
      ['pc', '2026-01-02'],
    ].map(([id, day]) => ({
      _id: id as never,
      email: `${id}@old.example`,
      name: `Old ${id}`,
      passwordHash: 'x',
      status: 'active',
      tokenVersion: 0,
      createdAt: at(day!),
      updatedAt: at(day!),
    })),
  );
  await models.AuditEntry.insertMany([
    { actor: 'key:old', action: 'partner.status', subject: 'partner:pa', reason: 'first', at: at('2026-02-01') },
    { actor: 'key:old', action: 'partner.note', subject: 'partner:pa', details: { n: 2 }, at: at('2026-02-03') },
    { actor: 'key:old', action: 'payout.abandon', subject: 'payout:po_dead', at: at('2026-02-16') },
  ]);
  await models.PartnerNote.insertMany([
    { _id: 'note_1', partnerId: 'pa', text: 'first', author: 'key:old', at: at('2026-02-02') },
    { _id: 'note_2', partnerId: 'pa', text: 'second', author: 'key:old', at: at('2026-02-03') },
    { _id: 'note_3', partnerId: 'pb', text: 'other', author: 'key:old', at: at('2026-02-04') },
  ]);
  const claimed = new Date('2026-03-01T00:00:00Z');
  await models.OnceClaim.insertMany([
    { _id: sealedKey('po_old_1'), holder: 'payout:po_old_1', data: { outcome: 'open' }, at: claimed },
    { _id: completedKey('po_old_1'), holder: 'complete:x', data: { failed: ['pb'] }, at: claimed },
    { _id: sealedKey('po_old_2'), holder: 'payout:po_old_2', data: { outcome: 'open' }, at: claimed },
  ]);
});

const directoryIds = async () =>
  (await directoryPage(models, {}, { limit: 50 })).partners.map((partner) => partner._id);

describe('moving lists to keyed logs', () => {
  it('moves each list once, in its order, newest first; two processes starting at once move it once', async () => {
    // A partner signed up by this version while the move had not run yet: listed already, not twice.
    await createPartner(models, { _id: 'pnew', email: 'pnew@new.example', name: 'New', passwordHash: 'x' });
    const [first, second] = await Promise.all([
      migrateKeyedLists(models, logger, 'test'),
      migrateKeyedLists(models, logger, 'other'),
    ]);
    // 3 payout items, 3 partners, 3 audit entries, 3 notes, 2 finished batches' entries, 3 login
    // email keys (`pnew` has its own).
    expect(first + second).toBe(17);
    const a = await partnerPayouts({ models }, 'pa', { limit: 10 });
    expect(a.items.map((item) => [item.payoutId, item.status, item.amount])).toEqual([
      ['po_old_2', 'pending', 1000],
      ['po_old_1', 'paid', 1000],
    ]);
    const b = await partnerPayouts({ models }, 'pb', { limit: 10 });
    expect(b.items.map((item) => [item.payoutId, item.status, item.amount])).toEqual([['po_old_1', 'failed', 2000]]);
    // Moved by creation, then ID, after the entries there already (numbers only grow).
    expect(await directoryIds()).toEqual(['pc', 'pa', 'pb', 'pnew']);
    const trail = await auditTrail({ models }, 'partner:pa', { limit: 10 });
    expect(trail.items).toEqual([
      {
        actor: 'key:old',
        action: 'partner.note',
        subject: 'partner:pa',
        details: { n: 2 },
        at: new Date('2026-02-03T12:00:00Z'),
      },
      {
        actor: 'key:old',
        action: 'partner.status',
        subject: 'partner:pa',
        reason: 'first',
        at: new Date('2026-02-01T12:00:00Z'),
      },
    ]);
    expect((await auditTrail({ models }, 'payout:po_dead', { limit: 10 })).items).toHaveLength(1);
    expect((await partnerNotes({ models }, 'pa', { limit: 10 })).items.map((note) => [note.noteId, note.text])).toEqual(
      [
        ['note_2', 'second'],
        ['note_1', 'first'],
      ],
    );
    expect((await partnerNotes({ models }, 'pb', { limit: 10 })).items.map((note) => note.noteId)).toEqual(['note_3']);
    // A finished batch's entries are out of it, each item's in its part; an open one keeps its own.
    const old1 = await models.Payout.findById('po_old_1').lean();
    expect(old1!.items.map((item) => [item.partnerId, item.entries, item.parts, item.entryIds])).toEqual([
      ['pa', 1, 1, undefined],
      ['pb', 1, 1, undefined],
    ]);
    expect(await itemEntryIds(models, 'po_old_1', old1!.items[1]!)).toEqual(['commission:po_old_1-pb']);
    const old2 = await models.Payout.findById('po_old_2').lean();
    expect(old2!.items[0]!.entryIds).toEqual(['commission:po_old_2-pa']);
    expect(await itemEntryIds(models, 'po_old_2', old2!.items[0]!)).toEqual(['commission:po_old_2-pa']);
    // Done: a later start does nothing.
    expect(await migrateKeyedLists(models, logger, 'later')).toBe(0);
  });

  it('a move done again after a crash adds only what is missing, and shows a partner listed twice once', async () => {
    await models.OnceClaim.deleteMany({ _id: { $regex: '^migration:keyed-lists' } });
    // A move that died between listing a partner and remembering the entry's number, and before
    // copying the newest audit entry and note of `pa` (the last entries of their logs).
    await models.Partner.updateOne({ _id: 'pb' }, { $unset: { directoryNo: 1 } });
    await models.AuditTrailEntry.deleteOne({ _id: `${auditStream('partner:pa')}|2` });
    await models.NoteEntry.deleteOne({ _id: `${notesStream('pa')}|2` });
    // And one that stored a batch's parts but died before writing the batch without its list.
    const { items } = batch('po_old_1', '2026-01-01', 'completed', ['pa', 'pb']);
    await models.Payout.updateOne({ _id: 'po_old_1' }, { $set: { items } });
    expect(await migrateKeyedLists(models, logger, 'again')).toBe(4);
    expect(await models.PayoutEntries.countDocuments({ payoutId: 'po_old_1' })).toBe(2);
    expect((await models.Payout.findById('po_old_1').lean())!.items.every((item) => !item.entryIds)).toBe(true);
    expect(await logLength(models.PartnerPayout.collection, payoutsStream('pa'))).toBe(2);
    expect(await logLength(models.PartnerPayout.collection, payoutsStream('pb'))).toBe(1);
    expect(await logLength(models.DirectoryEntry.collection, directoryStream)).toBe(5);
    expect(await directoryIds()).toEqual(['pb', 'pc', 'pa', 'pnew']);
    const trail = await auditTrail({ models }, 'partner:pa', { limit: 10 });
    expect(trail.items.map((entry) => entry.action)).toEqual(['partner.note', 'partner.status']);
    const notes = await partnerNotes({ models }, 'pa', { limit: 10 });
    expect(notes.items.map((note) => note.noteId)).toEqual(['note_2', 'note_1']);
  });
});
