import { applyRate, formatMinor, formatRate, parseRate, RATE_SCALE } from '../../../collector/domain/money';

describe('parseRate', () => {
  test.each([
    ['0', 0],
    ['1', RATE_SCALE],
    ['0.25', 250_000],
    ['0.125', 125_000],
    ['0.000001', 1],
    ['1.0', RATE_SCALE],
    ['1.000000', RATE_SCALE],
    [' 0.3 ', 300_000],
  ])('%s → %i ppm', (text, ppm) => {
    expect(parseRate(text)).toBe(ppm);
  });

  test.each(['', '.25', '0.1234567', '1.000001', '2', '-0.1', '0,25', '1e-1', 'abc', '0.25%'])('refuses %p', (text) => {
    expect(parseRate(text)).toBeUndefined();
  });

  test('formatRate is its inverse', () => {
    for (const text of ['0', '1', '0.25', '0.125', '0.000001', '0.333333'])
      expect(formatRate(parseRate(text)!)).toBe(text);
  });
});

describe('applyRate', () => {
  const quarter = 250_000;
  test('rounds half up', () => {
    expect(applyRate(2, quarter)).toBe(1); // 0.5
    expect(applyRate(6, quarter)).toBe(2); // 1.5
    expect(applyRate(1, quarter)).toBe(0); // 0.25
    expect(applyRate(3, quarter)).toBe(1); // 0.75
    expect(applyRate(1, 500_000)).toBe(1); // 0.5
  });

  test('negative amounts round half away from zero (symmetric)', () => {
    expect(applyRate(-2, quarter)).toBe(-1);
    expect(applyRate(-1, quarter)).toBe(0);
    expect(applyRate(-6, quarter)).toBe(-2);
  });

  test('exact beyond 2^53 intermediate products', () => {
    expect(applyRate(Number.MAX_SAFE_INTEGER, RATE_SCALE)).toBe(Number.MAX_SAFE_INTEGER);
    expect(applyRate(Number.MAX_SAFE_INTEGER, 0)).toBe(0);
    expect(applyRate(Number.MAX_SAFE_INTEGER, quarter)).toBe(2251799813685248); // 2251799813685247.75
  });

  test('0.1 + 0.2 style drift does not exist: 1005 × 10% = 100.5 → 101', () => {
    expect(applyRate(1005, 100_000)).toBe(101);
    expect(applyRate(115, 100_000)).toBe(12); // 11.5
  });
});

test('formatMinor writes two decimals', () => {
  expect(formatMinor(0)).toBe('0.00');
  expect(formatMinor(5)).toBe('0.05');
  expect(formatMinor(12345)).toBe('123.45');
  expect(formatMinor(10000)).toBe('100.00');
  expect(formatMinor(-250)).toBe('-2.50');
  expect(formatMinor(-5)).toBe('-0.05');
});
