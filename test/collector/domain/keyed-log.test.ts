import { logEntryId, logEntryNumber, nextProbe, pageNumbers } from '../../../collector/domain/keyed-log';

describe('keyed log keys', () => {
  it('puts the stream (a partner ID first) before the entry number', () => {
    expect(logEntryId('p00001|payouts', 3)).toBe('p00001|payouts|3');
  });

  it('reads the number back only from entries of the same stream', () => {
    expect(logEntryNumber('p00001|payouts', 'p00001|payouts|12')).toBe(12);
    expect(logEntryNumber('p00001|payouts', 'p00002|payouts|12')).toBeUndefined();
    expect(logEntryNumber('p00001|payouts', 'p00001|payouts|0')).toBeUndefined();
    expect(logEntryNumber('p00001|payouts', 'p00001|payouts|1x')).toBeUndefined();
    expect(logEntryNumber('p00001|payouts', 'p00001|payouts|-1')).toBeUndefined();
    expect(logEntryNumber('partners', 'partners|1|2')).toBeUndefined();
  });
});

describe('pages, newest first', () => {
  it('starts at the newest entry and stops at the first', () => {
    expect(pageNumbers(5, 2)).toEqual([5, 4]);
    expect(pageNumbers(5, 2, 4)).toEqual([3, 2]);
    expect(pageNumbers(5, 2, 2)).toEqual([1]);
    expect(pageNumbers(5, 10)).toEqual([5, 4, 3, 2, 1]);
    expect(pageNumbers(0, 10)).toEqual([]);
  });

  it('never reads above the length, whatever the cursor says', () => {
    expect(pageNumbers(3, 2, 100)).toEqual([3, 2]);
  });
});

describe('length search', () => {
  /** Runs the search against a log of `length` entries; returns what it found and how many lookups it took. */
  const search = (length: number) => {
    let known = 0;
    let missing: number | undefined;
    let lookups = 0;
    for (let probe = nextProbe(known, missing); probe !== undefined; probe = nextProbe(known, missing)) {
      lookups += 1;
      if (probe <= length) known = probe;
      else missing = probe;
    }
    return { found: known, lookups };
  };

  it('finds every length from 0 to 1,100 exactly', () => {
    for (let length = 0; length <= 1100; length++) expect(search(length).found).toBe(length);
  });

  it('costs about 2·log2(length) lookups, not the length', () => {
    expect(search(0).lookups).toBe(1);
    expect(search(1).lookups).toBe(2);
    expect(search(1000).lookups).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1000)) + 1);
    expect(search(1_000_000).lookups).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1_000_000)) + 1);
  });
});
