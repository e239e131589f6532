// Idempotency keys on the operator's create endpoints (as Stripe does them): the first request
// under a key runs and its answer is stored; later ones with the same content get that answer.
// Which request runs is decided by one insert under `<caller>:<key>`, also across processes.
import { DomainError } from '../domain/errors';
import type { ServiceDeps } from './deps';
import { isDuplicateKey } from './duplicates';

/** A request still pending after this long died with its process: its key may be taken again. */
export const abandonedKeyMs = 5 * 60_000;

export interface StoredAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

export type Claim = { run: true } | { run: false; answer: StoredAnswer };

export async function claimIdempotencyKey(
  { models }: Pick<ServiceDeps, 'models'>,
  id: string,
  fingerprint: string,
  now = new Date(),
): Promise<Claim> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await models.IdempotencyKey.create({ _id: id, fingerprint, state: 'pending', createdAt: now });
      return { run: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const earlier = await models.IdempotencyKey.findById(id).lean();
    if (!earlier) continue; // released meanwhile: try the insert once more
    if (earlier.fingerprint !== fingerprint) {
      throw new DomainError(
        'unprocessable',
        'This Idempotency-Key was used with another request (method, path or body).',
        'idempotency-key-reused',
      );
    }
    if (earlier.state === 'done') {
      return {
        run: false,
        answer: { status: earlier.status!, contentType: earlier.contentType ?? undefined, body: earlier.body ?? '' },
      };
    }
    if (now.getTime() - earlier.createdAt.getTime() > abandonedKeyMs) {
      // The deletion decides nothing: the next insert does.
      await models.IdempotencyKey.deleteOne({ _id: id, state: 'pending', createdAt: earlier.createdAt });
      continue;
    }
    break;
  }
  throw new DomainError(
    'conflict',
    'A request with this Idempotency-Key is still running; retry shortly.',
    'idempotency-key-in-use',
  );
}

export async function storeIdempotentAnswer(
  { models }: Pick<ServiceDeps, 'models'>,
  id: string,
  answer: StoredAnswer,
): Promise<void> {
  await models.IdempotencyKey.updateOne({ _id: id, state: 'pending' }, { $set: { state: 'done', ...answer } });
}

/** The request failed on our side (5xx): the key is free for a retry. */
export async function releaseIdempotencyKey({ models }: Pick<ServiceDeps, 'models'>, id: string): Promise<void> {
  await models.IdempotencyKey.deleteOne({ _id: id, state: 'pending' });
}
