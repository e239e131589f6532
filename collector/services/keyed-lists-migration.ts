// One-time move of lists that were read with a filter into keyed logs (domain/keyed-log.ts): each
// partner's payouts. One process does it (a unique claim); a move that died is done again by the
// next start after a while, and skips what is there already, so running it twice adds nothing.
import type { Logger } from '../logger';
import type { Models } from '../models';
import { claimOnce, findClaim } from './claim-once';
import { logLength } from './keyed-log';
import { logEntryId } from '../domain/keyed-log';
import { payoutsStream, recordPartnerPayouts } from './partner-payouts';

const startedKey = 'migration:keyed-lists:v1';
const doneKey = 'migration:keyed-lists:v1:done';
/** A move started longer ago than this and never finished is taken to be from a crashed process. */
const staleAfterMs = 10 * 60_000;

export async function migrateKeyedLists(models: Models, logger: Logger, owner: string): Promise<number> {
  if (await findClaim(models, doneKey)) return 0;
  const started = await claimOnce(models, startedKey, owner);
  if (!started.won && Date.now() - started.claim.at.getTime() < staleAfterMs) return 0;
  logger.info('moving partner payout lists to keyed logs (once)');
  const moved = await movePayouts(models);
  await claimOnce(models, doneKey, owner, { payouts: moved });
  logger.info({ payouts: moved }, 'partner payout lists moved to keyed logs');
  return moved;
}

/** Every item of every batch that opened, oldest batch first, unless its partner's list has it. */
async function movePayouts(models: Models): Promise<number> {
  const listed = new Map<string, Set<string>>();
  const alreadyListed = async (partnerId: string) => {
    let ids = listed.get(partnerId);
    if (!ids) {
      const stream = payoutsStream(partnerId);
      const length = await logLength(models.PartnerPayout.collection, stream);
      const entries = await Promise.all(
        Array.from({ length }, (_, i) =>
          models.PartnerPayout.findById(logEntryId(stream, i + 1), { payoutId: 1 }).lean(),
        ),
      );
      ids = new Set(entries.flatMap((entry) => (entry ? [entry.payoutId] : [])));
      listed.set(partnerId, ids);
    }
    return ids;
  };
  let moved = 0;
  const batches = models.Payout.find(
    // A batch of this version lists its items itself (`listed`): never twice, even while this runs.
    { status: { $in: ['open', 'completed'] }, listed: { $ne: true } },
    // The entries each item pays are the bulk of a batch and not needed here.
    { 'items.entryIds': 0, withheld: 0 },
  )
    .sort({ createdAt: 1 })
    .lean()
    .cursor();
  for await (const batch of batches) {
    const missing = [];
    for (const item of batch.items) if (!(await alreadyListed(item.partnerId)).has(batch._id)) missing.push(item);
    await recordPartnerPayouts(models, batch, missing);
    for (const item of missing) (await alreadyListed(item.partnerId)).add(batch._id);
    moved += missing.length;
  }
  return moved;
}
