// Keyed logs on the real engine: appends race for the next number by unique insert, so concurrent
// writers leave 1..n with no gap and no duplicate; pages are read by key, newest first.
import { appendToLog, logLength, readLogPage } from '../../collector/services/keyed-log';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
const collection = () => db.connection().collection('keyed_log_test');

describe('keyed log', () => {
  it('gives concurrent appends the numbers 1..n, each once', async () => {
    const writers = Array.from({ length: 12 }, (_, i) => appendToLog(collection(), 'p1|race', { value: i }));
    const numbers = await Promise.all(writers);
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await logLength(collection(), 'p1|race')).toBe(12);
    const values = (await collection().find({}).toArray()).map((doc) => doc.value as number);
    expect(values.sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('keeps streams apart and reads pages newest first with a cursor', async () => {
    for (let i = 1; i <= 5; i++) await appendToLog(collection(), 'p2|list', { value: i });
    await appendToLog(collection(), 'p3|list', { value: 99 });
    expect(await logLength(collection(), 'p2|list')).toBe(5);
    expect(await logLength(collection(), 'nobody|list')).toBe(0);

    const first = await readLogPage<{ value: number }>(collection(), 'p2|list', { limit: 2 });
    expect(first.items.map((item) => item.value)).toEqual([5, 4]);
    expect(first.nextAfter).toBe('p2|list|4');
    const second = await readLogPage<{ value: number }>(collection(), 'p2|list', { limit: 2, after: first.nextAfter! });
    expect(second.items.map((item) => item.value)).toEqual([3, 2]);
    const last = await readLogPage<{ value: number }>(collection(), 'p2|list', { limit: 2, after: second.nextAfter! });
    expect(last.items.map((item) => item.value)).toEqual([1]);
    expect(last.nextAfter).toBeNull();
  });

  it("refuses another stream's cursor", async () => {
    await expect(readLogPage(collection(), 'p2|list', { limit: 2, after: 'p3|list|1' })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
