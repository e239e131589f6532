import {
  divideRounded,
  formatBasisPoints,
  performanceCsv,
  performanceRows,
  ratiosOf,
} from '../../../collector/domain/performance';

const counters = (clicks: number, uniqueClicks: number, signups: number, commission: number) => ({
  clicks,
  uniqueClicks,
  signups,
  customers: 0,
  revenue: 0,
  commission,
});

describe('divideRounded', () => {
  test.each([
    [5n, 2n, 3n],
    [4n, 3n, 1n],
    [5n, 3n, 2n],
    [-5n, 2n, -3n],
    [-4n, 3n, -1n],
    [0n, 7n, 0n],
    [1n, 3n, 0n],
  ])('%p ÷ %p → %p (half away from zero)', (numerator, denominator, expected) => {
    expect(divideRounded(numerator, denominator)).toBe(expected);
  });
});

describe('ratiosOf', () => {
  test('conversion: signups per unique click in basis points, rounded half up at 0.01 %', () => {
    expect(ratiosOf(counters(10, 8, 1, 0)).conversionBasisPoints).toBe(1250);
    expect(ratiosOf(counters(3, 3, 1, 0)).conversionBasisPoints).toBe(3333); // 33.333…
    expect(ratiosOf(counters(3, 3, 2, 0)).conversionBasisPoints).toBe(6667); // 66.666…
    expect(ratiosOf(counters(30_000, 30_000, 1, 0)).conversionBasisPoints).toBe(0); // 0.33 bp
    expect(ratiosOf(counters(20_000, 20_000, 1, 0)).conversionBasisPoints).toBe(1); // 0.5 bp: half up
    // Signups of earlier clicks can exceed this period's unique clicks: no cap.
    expect(ratiosOf(counters(1, 1, 2, 0)).conversionBasisPoints).toBe(20_000);
  });

  test('EPC: commission per 100 clicks in minor units, rounded half away from zero at the cent', () => {
    expect(ratiosOf(counters(200, 150, 0, 2475)).epc).toBe(1238); // 1237.5 → 1238
    expect(ratiosOf(counters(3, 3, 0, 1)).epc).toBe(33); // 33.33…
    expect(ratiosOf(counters(3, 3, 0, 2)).epc).toBe(67);
    expect(ratiosOf(counters(200, 1, 0, -2475)).epc).toBe(-1238); // refunds outweigh earnings
    expect(ratiosOf(counters(1, 1, 0, 2 ** 52)).epc).toBe(2 ** 52 * 100); // no float product
  });

  test('no clicks: no ratio (null), not 0 and not Infinity', () => {
    expect(ratiosOf(counters(0, 0, 3, 500))).toEqual({ conversionBasisPoints: null, epc: null });
  });
});

test('formatBasisPoints', () => {
  expect(formatBasisPoints(1234)).toBe('12.34');
  expect(formatBasisPoints(5)).toBe('0.05');
  expect(formatBasisPoints(20_000)).toBe('200.00');
  expect(formatBasisPoints(null)).toBe('');
});

test('performanceRows adds ratios per row and a total over the rows', () => {
  const { rows, total } = performanceRows([
    { key: 'spring', ...counters(100, 80, 4, 1000), customers: 2, revenue: 4000 },
    { key: null, ...counters(50, 20, 1, 0), customers: 0, revenue: 0 },
  ]);
  expect(rows.map((row) => [row.key, row.conversionBasisPoints, row.epc])).toEqual([
    ['spring', 500, 1000],
    [null, 500, 0],
  ]);
  expect(total).toEqual({
    clicks: 150,
    uniqueClicks: 100,
    signups: 5,
    customers: 2,
    revenue: 4000,
    commission: 1000,
    conversionBasisPoints: 500,
    epc: 667,
  });
});

test('performanceCsv: decimal money and percent, labelled keys, total last, formula-safe', () => {
  const view = performanceRows([
    { key: '=cmd', ...counters(4, 3, 1, 2475), customers: 1, revenue: 9900 },
    { key: null, ...counters(0, 0, 0, 0), customers: 0, revenue: 0 },
    { key: '~other', ...counters(1, 1, 0, 0), customers: 0, revenue: 0 },
  ]);
  expect(performanceCsv({ by: 'data1', currency: 'USD', ...view }).split('\r\n')).toEqual([
    'data1,clicks,unique_clicks,signups,paying_customers,conversion_rate_percent,revenue,earnings,epc_per_100_clicks,currency',
    "'=cmd,4,3,1,1,33.33,99.00,24.75,618.75,USD",
    '(none),0,0,0,0,,0.00,0.00,,USD',
    '(other values),1,1,0,0,0.00,0.00,0.00,0.00,USD',
    '(total),5,4,1,1,25.00,99.00,24.75,495.00,USD',
    '',
  ]);
});
