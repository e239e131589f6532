import { chunkId, rechunk, refFor, refsOf, refsTouched, type ChunkRef } from '../../../collector/domain/month-chunks';

// Items are their own keys here: strings that sort like the line keys (newest = greatest).
const keys = (from: number, to: number) => {
  const list: string[] = [];
  for (let n = to; n >= from; n--) list.push(String(n).padStart(4, '0'));
  return list;
};
const same = (key: string) => key;
const head = 'p|2026-03';

describe('month chunks', () => {
  it('keeps a month inline while it holds at most a chunk', () => {
    const refs = refsOf(head, null);
    expect(refs).toEqual([{ id: head, from: '' }]);
    const folded = rechunk(head, refs, new Map([[head, keys(1, 4)]]), same, 7, 4);
    expect(folded).toEqual({ chunks: null, inline: keys(1, 4), write: [], retired: [] });
  });

  it('splits a month that outgrows a chunk into even pieces under new IDs, the oldest from the bottom', () => {
    const folded = rechunk(head, refsOf(head, null), new Map([[head, keys(1, 9)]]), same, 7, 4);
    expect(folded.inline).toBeNull();
    expect(folded.write.map((chunk) => chunk.items)).toEqual([keys(7, 9), keys(4, 6), keys(1, 3)]);
    expect(folded.chunks).toEqual([
      { id: chunkId(head, 7, 0), from: '0007' },
      { id: chunkId(head, 7, 1), from: '0004' },
      { id: chunkId(head, 7, 2), from: '' },
    ]);
    // The head's own lines moved into the chunks: nothing to delete.
    expect(folded.retired).toEqual([]);
  });

  it('finds the one chunk of every key, and rewrites only the chunks a fold touches', () => {
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
    expect(refsTouched(refs, ['0005', '0001', '0006']).map((ref) => ref.id)).toEqual(['b', 'c']);
    const folded = rechunk(head, refs, new Map([['b', ['0006', '0005', '0004', '00045']]]), same, 8, 4);
    expect(folded.chunks).toEqual([refs[0], { id: chunkId(head, 8, 0), from: '0004' }, refs[2]]);
    expect(folded.retired).toEqual(['b']);
  });

  it('gives the same documents when the same fold runs again (a batch finished after a crash)', () => {
    const refs = refsOf(head, null);
    const input = new Map([[head, keys(1, 120)]]);
    expect(rechunk(head, refs, input, same, 3)).toEqual(rechunk(head, refs, input, same, 3));
    const pieces = rechunk(head, refs, input, same, 3).write.map((chunk) => chunk.items.length);
    expect(pieces).toEqual([40, 40, 40]);
  });
});
