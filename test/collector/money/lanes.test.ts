import { inLanes } from '../../../collector/services/lanes';

/** A promise with its resolve, to hold an item's work open until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('inLanes', () => {
  it('answers in item order, with no more than the lanes at work at once', async () => {
    let running = 0;
    let most = 0;
    const results = await inLanes([5, 1, 4, 2, 3, 0], 3, async (n, i) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((done) => setImmediate(done));
      for (let k = 0; k < n; k += 1) await Promise.resolve();
      running -= 1;
      return `${i}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(3);
  });

  it('starts nothing after a failure and rejects only once the started items have settled', async () => {
    const slow = gate();
    const started: number[] = [];
    let slowFinished = false;
    const run = inLanes([0, 1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 0) {
        await slow.opened;
        slowFinished = true;
        return n;
      }
      throw new Error(`item ${n} failed`);
    });
    let settled = false;
    void run.catch(() => (settled = true));
    await new Promise((done) => setImmediate(done));
    // Item 1 failed; item 0 is still being written, so the call has not rejected yet.
    expect(started).toEqual([0, 1]);
    expect(settled).toBe(false);
    slow.open();
    await expect(run).rejects.toThrow('item 1 failed');
    expect(slowFinished).toBe(true);
    expect(started).toEqual([0, 1]);
  });

  it('does nothing for no items', async () => {
    expect(await inLanes([], 4, () => Promise.reject(new Error('never')))).toEqual([]);
  });
});
