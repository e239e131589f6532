// Reads and appends keyed logs (domain/keyed-log.ts): every read is one document by exact `_id`.
import { logEntryId, logEntryNumber, nextProbe, pageNumbers } from '../domain/keyed-log';
import { DomainError } from '../domain/errors';
import { isDuplicateKey } from './duplicates';

/** The native collection of a model (only exact `_id` filters are used). */
export interface LogCollection {
  findOne(filter: { _id: string }, options?: { projection?: Record<string, 0 | 1> }): Promise<unknown>;
  insertOne(doc: Record<string, unknown>): Promise<unknown>;
}

/** How many entries the stream has (entries 1..length exist), in about 2·log2(length) lookups. */
export async function logLength(collection: LogCollection, stream: string): Promise<number> {
  let known = 0;
  let missing: number | undefined;
  for (let probe = nextProbe(known, missing); probe !== undefined; probe = nextProbe(known, missing)) {
    const found = await collection.findOne({ _id: logEntryId(stream, probe) }, { projection: { _id: 1 } });
    if (found) known = probe;
    else missing = probe;
  }
  return known;
}

/** Writers racing for one number are told apart by the unique `_id`; the loser takes the next one. */
const maxAttempts = 50;

/** Appends `doc` as the stream's next entry; returns its number. */
export async function appendToLog(
  collection: LogCollection,
  stream: string,
  doc: Record<string, unknown>,
): Promise<number> {
  let n = (await logLength(collection, stream)) + 1;
  for (let attempt = 0; attempt < maxAttempts; attempt++, n++) {
    try {
      await collection.insertOne({ ...doc, _id: logEntryId(stream, n) });
      return n;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new DomainError('unavailable', 'Too many concurrent writes to one list; retry.', 'busy');
}

export interface LogPage<T> {
  items: T[];
  /** The `_id` of the last entry returned when older ones exist (the next page's cursor). */
  nextAfter: string | null;
}

/** A page of the stream, newest first, below the entry `after` names (none: from the newest). */
export async function readLogPage<T>(
  collection: LogCollection,
  stream: string,
  page: { limit: number; after?: string | undefined },
): Promise<LogPage<T>> {
  const before = page.after === undefined ? undefined : logEntryNumber(stream, page.after);
  if (page.after !== undefined && before === undefined)
    throw new DomainError('invalid', 'The cursor does not belong to this list.', 'invalid-cursor', {
      fields: [{ field: 'cursor', message: 'is not a cursor of this list' }],
    });
  const numbers = pageNumbers(await logLength(collection, stream), page.limit, before);
  const docs = await Promise.all(numbers.map((n) => collection.findOne({ _id: logEntryId(stream, n) })));
  const items = docs.filter((doc) => doc !== null) as T[];
  const last = numbers.at(-1);
  return { items, nextAfter: last !== undefined && last > 1 ? logEntryId(stream, last) : null };
}
