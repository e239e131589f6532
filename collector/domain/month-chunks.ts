// Month documents of a bounded size (README "Read models"). A partner's month of statement lines
// grows with the partner's volume, and the embedded engine's cost of reading a document grows with
// its size, so a month is a tree of documents of a bounded size under a head `<partnerId>|YYYY-MM`:
// the head holds its items itself while they are few; otherwise it names chunks, newest first. A
// chunk is a leaf of at most `items` items or an inner chunk naming at most `refs` chunks, so
// neither a leaf nor the head nor any inner chunk grows with the month: a month gains a level when
// the head would name more than `refs` chunks. Chunk i of a list holds the keys from
// `chunks[i].from` (inclusive) up to the `from` of the chunk before it; the oldest chunk's `from` is
// its parent's, '' at the head, so every key has exactly one leaf.
//
// Chunks are copy-on-write: a fold writes the chunks it changed, and the inner chunks above them,
// under new IDs (`<head>|<batch>.<n>`, the same for a rerun of the same fold batch), then the head,
// then deletes the chunks the head no longer reaches. A fold that crashed before its head was
// written reads the old head and old chunks again and writes the same documents; a reader that
// finds a chunk gone has read an older head and reads the head again.

export interface TreeLimits {
  /** Items a leaf (or the head keeping them inline) holds at most. */
  items: number;
  /** Chunks the head or an inner chunk names at most (a ref is ~110 bytes: ~5 KB). */
  refs: number;
}

export const monthLimits: TreeLimits = { items: 50, refs: 50 };

export interface ChunkRef {
  id: string;
  from: string;
}

/** A head or chunk as the tree sees it: the chunks it names (inner), or its items (a leaf). */
export interface MonthNode<T> {
  refs: readonly ChunkRef[] | null;
  items: readonly T[];
}

export const chunkId = (headId: string, batch: string, n: number) => `${headId}|${batch}.${n}`;

const isInner = <T>(node: MonthNode<T> | null | undefined): node is MonthNode<T> & { refs: ChunkRef[] } =>
  (node?.refs?.length ?? 0) > 0;

/** The ref whose range holds `key` (refs newest first). */
export function refFor(refs: readonly ChunkRef[], key: string): ChunkRef {
  return refs.find((ref) => ref.from <= key) ?? refs[refs.length - 1]!;
}

/** `values` grouped by the ref holding their key, in ref order. */
function byRef<V>(refs: readonly ChunkRef[], values: readonly V[], keyOf: (value: V) => string) {
  const groups = new Map<string, V[]>();
  for (const value of values) {
    const { id } = refFor(refs, keyOf(value));
    groups.set(id, [...(groups.get(id) ?? []), value]);
  }
  return refs.filter((ref) => groups.has(ref.id)).map((ref) => ({ ref, values: groups.get(ref.id)! }));
}

/**
 * Every document a fold of `keys` reads, by ID: the head and the chunks on the paths from it to
 * the leaves holding the keys. `read` gives a stored chunk (and throws when one is missing).
 */
export async function readPaths<T>(
  headId: string,
  head: MonthNode<T> | null,
  keys: readonly string[],
  read: (id: string) => MonthNode<T> | Promise<MonthNode<T>>,
): Promise<Map<string, MonthNode<T>>> {
  const nodes = new Map<string, MonthNode<T>>();
  if (!head) return nodes;
  nodes.set(headId, head);
  let level = [{ node: head, keys }];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { node, keys: below } of level) {
      if (!isInner(node)) continue;
      for (const { ref, values } of byRef(node.refs, below, (key) => key)) {
        const child = await read(ref.id);
        nodes.set(ref.id, child);
        next.push({ node: child, keys: values });
      }
    }
    level = next;
  }
  return nodes;
}

/** The stored items of the leaves among `nodes` (what a fold of their keys starts from). */
export const leafItems = <T>(nodes: ReadonlyMap<string, MonthNode<T>>): T[] =>
  [...nodes.values()].filter((node) => !isInner(node)).flatMap((node) => [...node.items]);

/** How a kind of month document folds its ops: where an op lands, how items change, how they sort. */
export interface MonthRules<T, Op> {
  opKey(op: Op): string;
  itemKey(item: T): string;
  apply(items: readonly T[], ops: readonly Op[]): T[];
}

export interface Refolded<T> {
  /** The head's chunks, or null: the head keeps its items inline (`inline`). */
  refs: ChunkRef[] | null;
  inline: T[] | null;
  /** New chunks, written before the head (leaves before the inner chunks naming them). */
  write: Array<{ id: string; refs: ChunkRef[] | null; items: T[] | null }>;
  /** Chunks the new head no longer reaches (deleted once the head is written). */
  retired: string[];
}

/** Pieces of at most `max` values, as even as possible, newest first. */
function split<V>(values: readonly V[], max: number): V[][] {
  const parts = Math.max(1, Math.ceil(values.length / max));
  const size = Math.ceil(values.length / parts);
  const pieces: V[][] = [];
  for (let start = 0; start < values.length; start += size) pieces.push(values.slice(start, start + size));
  return pieces.length > 0 ? pieces : [[]];
}

interface Piece<T> {
  from: string;
  refs: ChunkRef[] | null;
  items: T[] | null;
}

/** `values` split into pieces of at most `max`; each but the oldest starts at its oldest value's key. */
function pieces<V, T>(
  values: readonly V[],
  max: number,
  from: string,
  keyOf: (value: V) => string,
  make: (part: V[]) => Omit<Piece<T>, 'from'>,
) {
  return split(values, max).map((part, index, all): Piece<T> => ({
    from: index === all.length - 1 ? from : keyOf(part[part.length - 1]!),
    ...make(part),
  }));
}

/**
 * The month after `ops` (none: the month reshaped to the limits, as a data folder of an older
 * version needs). `nodes` holds what `readPaths` read for the ops' keys; untouched chunks stay as
 * they are. `batch` names the new chunks: the same batch gives the same documents.
 */
export function foldTree<T, Op>(
  headId: string,
  nodes: ReadonlyMap<string, MonthNode<T>>,
  ops: readonly Op[],
  rules: MonthRules<T, Op>,
  batch: string,
  limits: TreeLimits = monthLimits,
): Refolded<T> {
  const write: Refolded<T>['write'] = [];
  const retired: string[] = [];
  const name = (piece: Piece<T>): ChunkRef => {
    const id = chunkId(headId, batch, write.length);
    write.push({ id, refs: piece.refs, items: piece.items });
    return { id, from: piece.from };
  };
  const inner = (refs: ChunkRef[]) => ({ refs, items: null });
  const fold = (at: ChunkRef, group: readonly Op[]): Array<Piece<T>> => {
    const node = nodes.get(at.id);
    if (at.id !== headId) {
      // readPaths read every chunk on a touched path; a missing one is a caller's bug, not an empty chunk.
      if (!node) throw new Error(`chunk ${at.id} was not read`);
      retired.push(at.id);
    }
    if (isInner(node)) {
      const touched = new Map(byRef(node.refs, group, rules.opKey).map(({ ref, values }) => [ref.id, values]));
      const refs = node.refs.flatMap((ref) =>
        touched.has(ref.id) ? fold(ref, touched.get(ref.id)!).map(name) : [ref],
      );
      return pieces(refs, limits.refs, at.from, (ref) => ref.from, inner);
    }
    const items = group.length > 0 ? rules.apply(node?.items ?? [], group) : [...(node?.items ?? [])];
    return pieces(items, limits.items, at.from, rules.itemKey, (part) => ({ refs: null, items: part }));
  };
  let top = fold({ id: headId, from: '' }, ops);
  // A head that would name more than `refs` chunks names inner chunks instead: the month gains a level.
  while (top.length > 1) top = pieces(top.map(name), limits.refs, '', (ref) => ref.from, inner);
  const [head] = top as [Piece<T>];
  return { refs: head.refs, inline: head.refs ? null : head.items, write, retired };
}

/** Whether a stored head is over the limits (stored whole, or naming too many chunks, by an older version). */
export const overLimits = <T>(head: MonthNode<T>, limits: TreeLimits = monthLimits): boolean =>
  isInner(head) ? head.refs.length > limits.refs : head.items.length > limits.items;

/**
 * A month's leaves, newest first, skipping chunks wholly at or above `below()` (asked as the walk
 * goes on). `read` gives a stored chunk, or null when it is gone (a newer head replaced it): the
 * walk then stops and returns 'gone'.
 */
export async function* leavesBelow<T>(
  head: MonthNode<T>,
  below: () => string | undefined,
  read: (id: string) => Promise<MonthNode<T> | null>,
): AsyncGenerator<{ items: readonly T[]; last: boolean }, 'gone' | 'done'> {
  if (!isInner(head)) {
    yield { items: head.items, last: true };
    return 'done';
  }
  const walk = async function* (
    refs: readonly ChunkRef[],
    lastBranch: boolean,
  ): AsyncGenerator<{ items: readonly T[]; last: boolean }, 'gone' | 'done'> {
    const bound = below();
    const wanted = refs.filter((ref) => bound === undefined || ref.from < bound);
    for (const [index, ref] of wanted.entries()) {
      const node = await read(ref.id);
      if (!node) return 'gone';
      const last = lastBranch && index === wanted.length - 1;
      if (isInner(node)) {
        if ((yield* walk(node.refs, last)) === 'gone') return 'gone';
      } else yield { items: node.items, last };
    }
    return 'done';
  };
  return yield* walk(head.refs, true);
}
