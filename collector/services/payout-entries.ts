// The ledger entries each item of a payout batch pays, stored apart from the batch in parts of a
// bounded size (models/payout-entries.ts), so a batch document stays the size of its item list.
import { entryParts, payoutEntriesId } from '../domain/payout';
import type { Models } from '../models';
import { insertNew } from './duplicates';

type EntriesModels = Pick<Models, 'PayoutEntries'>;

/** Stores an item's entries before its batch names the item; returns the counts the item keeps. */
export async function recordItemEntries(
  models: EntriesModels,
  payoutId: string,
  partnerId: string,
  entryIds: readonly string[],
): Promise<{ entries: number; parts: number }> {
  const parts = entryParts(entryIds);
  for (const [part, ids] of parts.entries()) {
    const _id = payoutEntriesId(payoutId, partnerId, part);
    // Keyed: storing the same part again (a move done twice) adds nothing.
    await insertNew(models.PayoutEntries.collection, [{ _id, payoutId, partnerId, part, entryIds: ids }]);
  }
  return { entries: entryIds.length, parts: parts.length };
}

/** The entries an item pays: its stored parts, or the list a batch of an older version holds itself. */
export async function itemEntryIds(
  models: EntriesModels,
  payoutId: string,
  item: { partnerId: string; parts?: number | null; entryIds?: string[] | null },
): Promise<string[]> {
  if (item.entryIds) return item.entryIds;
  const entryIds: string[] = [];
  for (let part = 0; part < (item.parts ?? 0); part++) {
    const _id = payoutEntriesId(payoutId, item.partnerId, part);
    const stored = await models.PayoutEntries.findById(_id, { entryIds: 1 }).lean();
    // Parts are stored before the batch names the item, and never deleted.
    if (!stored) throw new Error(`payout ${payoutId}: part ${part} of ${item.partnerId}'s entries is missing`);
    entryIds.push(...stored.entryIds);
  }
  return entryIds;
}

/**
 * Batches of older versions that hold their items' entries themselves, moved out once. Only
 * completed and abandoned batches: nothing writes their items any more, so the move cannot race a
 * completion (an open batch keeps its list, read as it is, until it completes).
 */
export async function moveBatchEntries(models: Pick<Models, 'Payout' | 'PayoutEntries'>): Promise<number> {
  let moved = 0;
  const batches = models.Payout.find({ status: { $in: ['completed', 'abandoned'] } }, { items: 1 })
    .lean()
    .cursor();
  for await (const batch of batches) {
    if (!batch.items.some((item) => item.entryIds)) continue;
    const items = [];
    for (const { entryIds, ...item } of batch.items) {
      items.push(
        entryIds ? { ...item, ...(await recordItemEntries(models, batch._id, item.partnerId, entryIds)) } : item,
      );
    }
    // The parts first, then the batch without its list: a move that died in between is done again.
    await models.Payout.updateOne({ _id: batch._id }, { $set: { items } });
    moved += 1;
  }
  return moved;
}
