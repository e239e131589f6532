// Month documents of a bounded size (README "Read models"). A partner's month of statement lines
// grows with the partner's volume, and the embedded engine's cost of reading a document grows with
// its size, so a month is a head document `<partnerId>|YYYY-MM` that holds its items itself while
// they are few, and otherwise the refs of chunk documents of at most `maxPerChunk` items each,
// newest first. Chunk i holds the keys from `chunks[i].from` (inclusive) up to the `from` of the
// chunk before it; the oldest chunk's `from` is '' so every key has exactly one chunk.
//
// Chunks are copy-on-write: a fold writes the chunks it changed under new IDs
// (`<head>|<seq>.<n>`, the same for a rerun of the same fold batch), then the head, then deletes
// the chunks the head no longer names. A fold that crashed before its head was written reads the
// old head and old chunks again and writes the same documents; a reader that finds a chunk gone
// has read an older head and reads the head again.

export const maxPerChunk = 50;

export interface ChunkRef {
  id: string;
  from: string;
}

/** What a head says about where its items are: inline (no `chunks`) or in chunks. */
export interface HeadLayout {
  chunks?: ChunkRef[] | null | undefined;
}

export const chunkId = (headId: string, seq: number, n: number) => `${headId}|${seq}.${n}`;

/** The chunks of a month, newest first; a month that keeps its items inline is its own one chunk. */
export function refsOf(headId: string, head: HeadLayout | null): ChunkRef[] {
  return head?.chunks && head.chunks.length > 0 ? head.chunks : [{ id: headId, from: '' }];
}

/** The chunk that holds `key`. */
export function refFor(refs: readonly ChunkRef[], key: string): ChunkRef {
  return refs.find((ref) => ref.from <= key) ?? refs[refs.length - 1]!;
}

/** The chunks a fold of `keys` touches, in head order. */
export function refsTouched(refs: readonly ChunkRef[], keys: Iterable<string>): ChunkRef[] {
  const touched = new Set<string>();
  for (const key of keys) touched.add(refFor(refs, key).id);
  return refs.filter((ref) => touched.has(ref.id));
}

export interface Rechunked<T> {
  /** Null: the month keeps its items inline (`inline`). */
  chunks: ChunkRef[] | null;
  inline: T[] | null;
  write: Array<{ id: string; items: T[] }>;
  /** Chunks the new head no longer names (deleted once the head is written). */
  retired: string[];
}

/** Pieces of at most `max` items, as even as possible, newest first. */
function split<T>(items: readonly T[], max: number): T[][] {
  const parts = Math.max(1, Math.ceil(items.length / max));
  const size = Math.ceil(items.length / parts);
  const pieces: T[][] = [];
  for (let start = 0; start < items.length; start += size) pieces.push(items.slice(start, start + size));
  return pieces.length > 0 ? pieces : [[]];
}

/**
 * The month after a fold: `changed` gives the touched chunks' items after the fold (sorted newest
 * first by `keyOf`); untouched chunks stay as they are. A chunk over `max` items is split.
 */
export function rechunk<T>(
  headId: string,
  refs: readonly ChunkRef[],
  changed: ReadonlyMap<string, T[]>,
  keyOf: (item: T) => string,
  seq: number,
  max = maxPerChunk,
): Rechunked<T> {
  if (refs.length === 1 && refs[0]!.id === headId) {
    const items = changed.get(headId) ?? [];
    if (items.length <= max) return { chunks: null, inline: items, write: [], retired: [] };
  }
  const chunks: ChunkRef[] = [];
  const write: Rechunked<T>['write'] = [];
  const retired: string[] = [];
  let n = 0;
  for (const ref of refs) {
    const items = changed.get(ref.id);
    if (!items) {
      chunks.push(ref);
      continue;
    }
    if (ref.id !== headId) retired.push(ref.id);
    const pieces = split(items, max);
    for (const [index, piece] of pieces.entries()) {
      const id = chunkId(headId, seq, n++);
      const oldest = index === pieces.length - 1;
      chunks.push({ id, from: oldest ? ref.from : keyOf(piece[piece.length - 1]!) });
      write.push({ id, items: piece });
    }
  }
  return { chunks, inline: null, write, retired };
}

/** The chunks a group of ops touches (the head itself while it keeps its items inline). */
export function chunksTouched<Op>(
  headId: string,
  head: HeadLayout | null,
  ops: readonly Op[],
  opKey: (op: Op) => string,
): ChunkRef[] {
  return refsTouched(refsOf(headId, head), ops.map(opKey));
}

/** How a kind of month document folds its ops: where an op lands, how items change, how they sort. */
export interface MonthRules<T, Op> {
  opKey(op: Op): string;
  itemKey(item: T): string;
  apply(items: readonly T[], ops: readonly Op[]): T[];
}

/** A month after a group of ops; `itemsOf` gives the stored items of each chunk `chunksTouched` named. */
export function foldMonth<T, Op>(
  headId: string,
  head: HeadLayout | null,
  ops: readonly Op[],
  itemsOf: (chunkId: string) => readonly T[],
  rules: MonthRules<T, Op>,
  seq: number,
): Rechunked<T> {
  const refs = refsOf(headId, head);
  const opsByChunk = new Map<string, Op[]>();
  for (const op of ops) {
    const { id } = refFor(refs, rules.opKey(op));
    const group = opsByChunk.get(id) ?? [];
    group.push(op);
    opsByChunk.set(id, group);
  }
  const changed = new Map<string, T[]>();
  for (const [id, group] of opsByChunk) changed.set(id, rules.apply(itemsOf(id), group));
  return rechunk(headId, refs, changed, rules.itemKey, seq);
}

/** A month stored whole by an older version, split as a fold would have; null when it is small enough. */
export function splitWhole<T>(headId: string, items: readonly T[], itemKey: (item: T) => string, seq: number) {
  if (items.length <= maxPerChunk) return null;
  return rechunk(headId, refsOf(headId, null), new Map([[headId, [...items]]]), itemKey, seq);
}
