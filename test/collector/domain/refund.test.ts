import { proRata, refundOutcome, reversibleLeft } from '../../../collector/domain/refund';

describe('refundOutcome', () => {
  test('a full refund reverses the whole commission', () => {
    expect(refundOutcome({ invoiceTotal: 10000, commission: 2500, refundedBefore: 0, requested: undefined })).toEqual({
      amount: 10000,
      commissionReversed: 2500,
    });
    expect(refundOutcome({ invoiceTotal: 10000, commission: 2500, refundedBefore: 0, requested: 10000 })).toEqual({
      amount: 10000,
      commissionReversed: 2500,
    });
  });

  test('a partial refund reverses pro rata', () => {
    expect(refundOutcome({ invoiceTotal: 10000, commission: 2500, refundedBefore: 0, requested: 4000 })).toEqual({
      amount: 4000,
      commissionReversed: 1000,
    });
  });

  test('refunds beyond the invoice are capped at what is left', () => {
    expect(refundOutcome({ invoiceTotal: 10000, commission: 2500, refundedBefore: 7000, requested: 5000 })).toEqual({
      amount: 3000,
      commissionReversed: 750,
    });
    expect(refundOutcome({ invoiceTotal: 10000, commission: 2500, refundedBefore: 10000, requested: 1 })).toEqual({
      amount: 0,
      commissionReversed: 0,
    });
  });

  test('odd cents: partial refunds add up to exactly the commission, never more', () => {
    const invoiceTotal = 999;
    const commission = 250; // 25% of 999 = 249.75 → 250
    let refunded = 0;
    let reversed = 0;
    for (const requested of [333, 333, 333, 1]) {
      const outcome = refundOutcome({ invoiceTotal, commission, refundedBefore: refunded, requested });
      refunded += outcome.amount;
      reversed += outcome.commissionReversed;
      expect(reversed).toBeLessThanOrEqual(commission);
    }
    expect(refunded).toBe(999);
    expect(reversed).toBe(250);
  });

  test('many one-cent refunds never reverse more than the commission', () => {
    let refunded = 0;
    let reversed = 0;
    for (let i = 0; i < 120; i++) {
      const outcome = refundOutcome({ invoiceTotal: 101, commission: 25, refundedBefore: refunded, requested: 1 });
      refunded += outcome.amount;
      reversed += outcome.commissionReversed;
    }
    expect(refunded).toBe(101);
    expect(reversed).toBe(25);
  });

  test('an invoice without commission reverses nothing', () => {
    expect(refundOutcome({ invoiceTotal: 5000, commission: 0, refundedBefore: 0, requested: 5000 })).toEqual({
      amount: 5000,
      commissionReversed: 0,
    });
  });
});

test('proRata rounds half up and never exceeds the whole', () => {
  expect(proRata(25, 1, 2)).toBe(13); // 12.5 → 13
  expect(proRata(25, 3, 4)).toBe(19); // 18.75 → 19
  expect(proRata(25, 10, 4)).toBe(25);
  expect(() => proRata(25, 1, 0)).toThrow(RangeError);
});

test('reversibleLeft subtracts earlier reversals and stops at zero', () => {
  expect(reversibleLeft(2500, [])).toBe(2500);
  expect(reversibleLeft(2500, [-1000, -500])).toBe(1000);
  expect(reversibleLeft(2500, [-2500])).toBe(0);
  expect(reversibleLeft(2500, [-3000])).toBe(0);
});
