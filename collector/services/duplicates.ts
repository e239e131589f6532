// Duplicate keys mean "already done" (docs/ARCHITECTURE.md §5). Only the error code is checked, never the message.
export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}

interface WriteErrorLike {
  index: number;
  code?: number;
  err?: { code?: number };
}

/**
 * For an unordered insertMany that failed: the indexes of the documents refused as duplicates.
 * Undefined when anything else went wrong (the caller rethrows).
 */
export function duplicateIndexes(error: unknown): Set<number> | undefined {
  const failed = error as {
    writeErrors?: WriteErrorLike | WriteErrorLike[];
    result?: { getWriteConcernError?: () => unknown };
  } | null;
  const raw = failed?.writeErrors;
  if (!raw) return undefined;
  // The new documents are not known to be durable: not "done", whatever the duplicates say.
  if (failed.result?.getWriteConcernError?.()) return undefined;
  const writeErrors = Array.isArray(raw) ? raw : [raw];
  if (writeErrors.length === 0) return undefined;
  const indexes = new Set<number>();
  for (const writeError of writeErrors) {
    const code = writeError.code ?? writeError.err?.code;
    if (code !== DUPLICATE_KEY) return undefined;
    indexes.add(writeError.index);
  }
  return indexes;
}

/** Inserts documents unordered; returns, per document, whether it was new (false = the key existed). */
export async function insertNew(
  collection: { insertMany(docs: object[], options: { ordered: false }): Promise<unknown> },
  docs: object[],
): Promise<boolean[]> {
  if (docs.length === 0) return [];
  try {
    await collection.insertMany(docs, { ordered: false });
    return docs.map(() => true);
  } catch (error) {
    const duplicates = duplicateIndexes(error);
    if (!duplicates) throw error;
    return docs.map((_doc, index) => !duplicates.has(index));
  }
}
