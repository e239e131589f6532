// "Exactly once" without transactions: a decision is taken by inserting a document under a key
// that names it. Exactly one concurrent insert succeeds (unique `_id`); only that caller acts, the
// others learn who won and what they decided. A conditional update cannot do this on the embedded
// engine (it reads, modifies and writes back without a lock).
import type { Models } from '../models';
import { DomainError } from '../domain/errors';
import { insertNew, isDuplicateKey } from './duplicates';

export interface Claim<T = unknown> {
  key: string;
  holder: string;
  data: T | undefined;
  at: Date;
}

export type ClaimOutcome<T> = { won: true; claim: Claim<T> } | { won: false; claim: Claim<T> };

/**
 * Tries to take `key` for `holder`. `won: false` carries the existing claim (possibly this
 * holder's own, from an earlier attempt that crashed or a concurrent duplicate).
 */
export async function claimOnce<T = unknown>(
  models: Pick<Models, 'OnceClaim'>,
  key: string,
  holder: string,
  data?: T,
): Promise<ClaimOutcome<T>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = new Date();
    try {
      await models.OnceClaim.create({ _id: key, holder, data, at });
      return { won: true, claim: { key, holder, data, at } };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await findClaim<T>(models, key);
    // Absent: released between our insert and this read; try again.
    if (existing) return { won: false, claim: existing };
  }
  throw new DomainError('unavailable', `Too much contention on ${key}; retry.`, 'busy');
}

/** Many keys for one holder in one round trip; per key, whether this call took it. */
export async function claimMany(
  models: Pick<Models, 'OnceClaim'>,
  keys: readonly string[],
  holder: string,
): Promise<boolean[]> {
  const at = new Date();
  return insertNew(
    models.OnceClaim,
    keys.map((_id) => ({ _id, holder, at })),
  );
}

export async function findClaim<T = unknown>(
  models: Pick<Models, 'OnceClaim'>,
  key: string,
): Promise<Claim<T> | undefined> {
  const doc = await models.OnceClaim.findById(key).lean();
  return doc ? { key: doc._id, holder: doc.holder, data: doc.data as T | undefined, at: doc.at } : undefined;
}

/** Gives keys back (a failed payout item frees its commissions); only the holder's own. */
export async function releaseClaims(
  models: Pick<Models, 'OnceClaim'>,
  holder: string,
  keys?: readonly string[],
): Promise<number> {
  const filter = keys ? { holder, _id: { $in: [...keys] } } : { holder };
  const result = await models.OnceClaim.deleteMany(filter);
  return result.deletedCount;
}
