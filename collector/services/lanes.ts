// Bounded concurrency for batch work made of independent keyed reads and writes. On the embedded
// engine a document read or write is a round trip of 1.5–3 ms; a few in flight at once overlap
// them (measured: 3.1 ms per read and write one at a time, 1.7 ms with four in flight).

/** How many independent documents a fold reads or writes at once. */
export const foldLanes = 4;

/**
 * Runs `work` for every item, at most `lanes` at a time, each item started in order. On the first
 * failure no further item starts, and the call rejects only once every started item has settled:
 * a caller that treats the failure as a crash knows nothing of its batch is still being written.
 */
export async function inLanes<T, R>(
  items: readonly T[],
  lanes: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  if (failure) throw failure.error;
  return results;
}
