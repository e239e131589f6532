import {
  chunkId,
  foldTree,
  leavesBelow,
  overLimits,
  readPaths,
  refFor,
  type ChunkRef,
  type MonthNode,
  type MonthRules,
  type Refolded,
  type TreeLimits,
} from '../../../collector/domain/month-chunks';

// Items are their own keys here: strings that sort like the line keys (newest = greatest).
const keys = (from: number, to: number) => {
  const list: string[] = [];
  for (let n = to; n >= from; n--) list.push(String(n).padStart(4, '0'));
  return list;
};
const rules: MonthRules<string, string> = {
  opKey: (op) => op,
  itemKey: (item) => item,
  apply: (items, ops) => [...new Set([...items, ...ops])].sort().reverse(),
};
const head = 'p|2026-03';
const small: TreeLimits = { items: 4, refs: 3 };

/** A month's documents in memory, written as the folder writes them. */
class Month {
  readonly docs = new Map<string, MonthNode<string>>();
  reads: string[] = [];

  async fold(ops: string[], batch: number, limits = small): Promise<Refolded<string>> {
    const stored = this.docs.get(head) ?? null;
    this.reads = [];
    const nodes = await readPaths(head, stored, ops.map(rules.opKey), (id) => {
      this.reads.push(id);
      return this.docs.get(id)!;
    });
    const next = foldTree(head, nodes, ops, rules, String(batch), limits);
    this.apply(next);
    return next;
  }

  apply(next: Refolded<string>): void {
    for (const chunk of next.write) this.docs.set(chunk.id, { refs: chunk.refs, items: chunk.items ?? [] });
    this.docs.set(head, { refs: next.refs, items: next.inline ?? [] });
    for (const id of next.retired) this.docs.delete(id);
  }

  async all(below?: string): Promise<string[]> {
    const items: string[] = [];
    const leaves = leavesBelow(
      this.docs.get(head)!,
      () => below,
      async (id) => this.docs.get(id) ?? null,
    );
    for await (const leaf of leaves) items.push(...leaf.items.filter((item) => below === undefined || item < below));
    return items;
  }

  /** IDs reachable from the head: nothing else may be stored. */
  reachable(): string[] {
    const seen: string[] = [];
    const walk = (refs: readonly ChunkRef[]) => {
      for (const ref of refs) {
        seen.push(ref.id);
        walk(this.docs.get(ref.id)?.refs ?? []);
      }
    };
    walk(this.docs.get(head)?.refs ?? []);
    return seen;
  }

  depth(): number {
    let depth = 0;
    for (let node = this.docs.get(head); node?.refs?.length; node = this.docs.get(node.refs[0]!.id)) depth += 1;
    return depth;
  }
}

describe('month chunks', () => {
  it('keeps a month inline while it holds at most a leaf', async () => {
    const month = new Month();
    const folded = await month.fold(keys(1, 4), 7);
    expect(folded).toEqual({ refs: null, inline: keys(1, 4), write: [], retired: [] });
  });

  it('splits a month that outgrows a leaf into even pieces under new IDs, the oldest from the bottom', async () => {
    const folded = await new Month().fold(keys(1, 9), 7);
    expect(folded.inline).toBeNull();
    expect(folded.write.map((chunk) => chunk.items)).toEqual([keys(7, 9), keys(4, 6), keys(1, 3)]);
    expect(folded.refs).toEqual([
      { id: chunkId(head, '7', 0), from: '0007' },
      { id: chunkId(head, '7', 1), from: '0004' },
      { id: chunkId(head, '7', 2), from: '' },
    ]);
    // The head's own items moved into the chunks: nothing to delete.
    expect(folded.retired).toEqual([]);
  });

  it('finds the one chunk of every key, and rewrites only the chunks a fold touches', async () => {
    const refs: ChunkRef[] = [
      { id: 'a', from: '0007' },
      { id: 'b', from: '0004' },
      { id: 'c', from: '' },
    ];
    expect(['9999', '0007', '0006', '0004', '0003', '0000'].map((key) => refFor(refs, key).id)).toEqual([
      'a',
      'a',
      'b',
      'b',
      'c',
      'c',
    ]);
    const month = new Month();
    await month.fold(keys(1, 9), 7);
    const before = month.docs.get(head)!.refs!;
    const folded = await month.fold(['00045'], 8);
    expect(month.reads).toEqual([before[1]!.id]);
    expect(folded.refs).toEqual([before[0], { id: chunkId(head, '8', 0), from: '0004' }, before[2]]);
    expect(folded.retired).toEqual([before[1]!.id]);
    expect(await month.all()).toEqual([...keys(5, 9), '00045', ...keys(1, 4)]);
  });

  it('gives the same documents when the same fold runs again (a batch finished after a crash)', async () => {
    const month = new Month();
    await month.fold(keys(1, 30), 1);
    const stored = new Map(month.docs);
    const again = async () => {
      const nodes = await readPaths(head, stored.get(head)!, ['00155'], (id) => stored.get(id)!);
      return foldTree(head, nodes, ['00155'], rules, '2', small);
    };
    expect(await again()).toEqual(await again());
    const pieces = foldTree(head, new Map(), keys(1, 120), rules, '3', { items: 50, refs: 50 });
    expect(pieces.write.map((chunk) => chunk.items!.length)).toEqual([40, 40, 40]);
  });

  it('gains a level when the head would name too many chunks, and a fold then reads one path', async () => {
    const month = new Month();
    for (let batch = 1; batch <= 12; batch++) await month.fold(keys(batch * 10, batch * 10 + 9), batch);
    expect(month.depth()).toBeGreaterThanOrEqual(2);
    // Within the limits everywhere, and nothing stored that the head does not reach.
    for (const [id, node] of month.docs) {
      if (node.refs) expect(node.refs.length).toBeLessThanOrEqual(small.refs);
      else if (id !== head) expect(node.items.length).toBeLessThanOrEqual(small.items);
    }
    expect([...month.docs.keys()].filter((id) => id !== head).sort()).toEqual(month.reachable().sort());
    expect(await month.all()).toEqual(keys(10, 129));

    // One new item: the head, then one chunk per level down to its leaf.
    const depth = month.depth();
    const folded = await month.fold(['00555'], 13);
    expect(month.reads).toHaveLength(depth);
    expect(folded.retired).toHaveLength(depth);
    expect(await month.all()).toEqual([...keys(10, 129).filter((key) => key > '00555'), '00555', ...keys(10, 55)]);
    // Below a key: the chunks wholly above it are not read.
    expect(await month.all('0012')).toEqual(keys(10, 11));
  });

  it('reshapes a head an older version left naming too many chunks, keeping its leaves', async () => {
    const month = new Month();
    await month.fold(keys(1, 40), 1, { items: 4, refs: 100 });
    const wide = month.docs.get(head)!;
    expect(wide.refs).toHaveLength(10);
    expect(overLimits(wide, small)).toBe(true);
    const reshaped = foldTree(head, new Map([[head, wide]]), [], rules, 'm1', small);
    expect(reshaped.retired).toEqual([]);
    expect(reshaped.write.every((chunk) => chunk.refs !== null)).toBe(true);
    month.apply(reshaped);
    expect(month.docs.get(head)!.refs!.length).toBeLessThanOrEqual(small.refs);
    expect(overLimits(month.docs.get(head)!, small)).toBe(false);
    expect(await month.all()).toEqual(keys(1, 40));
  });

  it('stops a walk that finds a chunk gone (a newer head replaced it)', async () => {
    const month = new Month();
    await month.fold(keys(1, 9), 1);
    const [, second] = month.docs.get(head)!.refs!;
    month.docs.delete(second!.id);
    const leaves = leavesBelow(
      month.docs.get(head)!,
      () => undefined,
      async (id) => month.docs.get(id) ?? null,
    );
    expect((await leaves.next()).value).toEqual({ items: keys(7, 9), last: false });
    expect(await leaves.next()).toEqual({ done: true, value: 'gone' });
  });
});
