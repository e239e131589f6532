import { commissionAvailableAt, commissionFor, effectiveRate, invoiceSums } from '../../../collector/domain/commission';
import { parseRate } from '../../../collector/domain/money';

const kinds = ['plan', 'app'];
const quarter = parseRate('0.25')!;

describe('invoiceSums', () => {
  test('only plan and app lines are commissionable', () => {
    expect(invoiceSums([{ kind: 'plan', amount: 2900 }], kinds)).toEqual({ total: 2900, commissionable: 2900 });
    expect(
      invoiceSums(
        [
          { kind: 'design', amount: 50000 },
          { kind: 'seo', amount: 12000 },
        ],
        kinds,
      ),
    ).toEqual({ total: 62000, commissionable: 0 });
    expect(
      invoiceSums(
        [
          { kind: 'plan', amount: 7900 },
          { kind: 'app', amount: 1999 },
          { kind: 'design', amount: 30000 },
          { kind: 'service', amount: 500 },
          { kind: 'other', amount: 1 },
        ],
        kinds,
      ),
    ).toEqual({ total: 40400, commissionable: 9899 });
  });

  test('follows the configured kinds', () => {
    expect(
      invoiceSums(
        [
          { kind: 'seo', amount: 100 },
          { kind: 'plan', amount: 100 },
        ],
        ['seo'],
      ),
    ).toEqual({ total: 200, commissionable: 100 });
  });
});

describe('commissionFor', () => {
  test.each([
    [2900, 725],
    [9899, 2475], // 2474.75 → 2475
    [2, 1], // 0.5 → 1 (half up)
    [1, 0], // 0.25 → 0
    [3, 1], // 0.75 → 1
    [6, 2], // 1.5 → 2
    [10, 3], // 2.5 → 3
    [0, 0],
  ])('25%% of %i = %i', (amount, commission) => {
    expect(commissionFor(amount, quarter)).toBe(commission);
  });

  test('exact for amounts where floating point would drift', () => {
    expect(commissionFor(Number.MAX_SAFE_INTEGER, parseRate('0.333333')!)).toBe(3002396749180579);
    expect(commissionFor(1005, parseRate('0.1')!)).toBe(101); // 100.5 → 101
  });

  test('the partner override wins over the program rate, even 0', () => {
    expect(effectiveRate(undefined, quarter)).toBe(quarter);
    expect(effectiveRate(null, quarter)).toBe(quarter);
    expect(effectiveRate(300_000, quarter)).toBe(300_000);
    expect(effectiveRate(0, quarter)).toBe(0);
  });
});

test('a commission is available hold days after the invoice', () => {
  expect(commissionAvailableAt(new Date('2026-01-01T10:00:00Z'), 120).toISOString()).toBe('2026-05-01T10:00:00.000Z');
  expect(commissionAvailableAt(new Date('2026-01-01T10:00:00Z'), 0).toISOString()).toBe('2026-01-01T10:00:00.000Z');
});
