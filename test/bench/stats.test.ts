import { median, percentile, perSecond, ratio } from '../../bench/lib/stats';

describe('percentile (nearest rank)', () => {
  const values = [15, 20, 35, 40, 50];

  it('picks measured values by rank, whatever the input order', () => {
    expect(percentile([50, 15, 40, 20, 35], 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it('p95 of 1..100 is 95 and p99 of 1..1000 is 990', () => {
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(
      percentile(
        Array.from({ length: 1000 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(990);
  });

  it("does not reorder the caller's array", () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
  });

  it('refuses no values and ranks outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
    expect(() => percentile([1], Number.NaN)).toThrow(/0\.\.100/);
  });

  it('median of an even count is the lower middle value', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});

describe('ratio and rates', () => {
  it('is undefined against a ceiling that was not measured', () => {
    expect(ratio(5, 0)).toBeUndefined();
    expect(ratio(5, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(ratio(3, 4)).toBe(0.75);
  });

  it('counts per second over milliseconds', () => {
    expect(perSecond(500, 2000)).toBe(250);
    expect(perSecond(10, 0)).toBe(0);
  });
});
