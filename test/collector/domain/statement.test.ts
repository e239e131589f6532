import {
  applyLineOp,
  applyToMonth,
  applyTotals,
  balanceAt,
  carriedForward,
  customerStatus,
  effectChange,
  emptyMoneyDocs,
  foldMoneyInMemory,
  lineKey,
  monthOfDate,
  releaseDayDoc,
  releasesOf,
  revenueThisMonth,
  statementId,
  statementLine,
  type LineBase,
  type LineOp,
  type MoneyTotals,
  type StoredLine,
} from '../../../collector/domain/statement';

const day = 86_400_000;

const base = (overrides: Partial<LineBase> = {}): LineBase => ({
  entryId: 'commission:inv-1',
  kind: 'commission',
  memo: null,
  customerId: 'cus-1',
  eventId: 'inv-1',
  occurredAt: new Date('2026-01-31T23:59:59.999Z'),
  availableAt: new Date('2026-05-31T23:59:59.999Z'),
  base: 40_000,
  ratePpm: 250_000,
  amount: 10_000,
  binding: null,
  bookMonth: '2026-01',
  ...overrides,
});

const reversal = { id: 'reversal:re-1', amount: -2500, availableAt: new Date('2026-05-31T23:59:59.999Z') };

describe('where a line lands', () => {
  it('is the UTC month of occurredAt, keyed by partner first', () => {
    expect(monthOfDate(new Date('2026-01-31T23:59:59.999Z'))).toBe('2026-01');
    expect(monthOfDate(new Date('2026-02-01T00:00:00.000Z'))).toBe('2026-02');
    expect(monthOfDate(new Date('2025-12-31T23:59:59.999Z'))).toBe('2025-12');
    expect(statementId('k7q2m9xw4d', '2026-01')).toBe('k7q2m9xw4d|2026-01');
  });

  it('sorts newest first by (occurredAt, entryId), across month and year boundaries', () => {
    const keys = [
      lineKey({ occurredAt: new Date('2025-12-31T23:59:59.999Z'), entryId: 'a' }),
      lineKey({ occurredAt: new Date('2026-01-01T00:00:00.000Z'), entryId: 'a' }),
      lineKey({ occurredAt: new Date('2026-01-01T00:00:00.000Z'), entryId: 'b' }),
    ];
    expect([...keys].sort()).toEqual(keys);
  });
});

describe('folding a line', () => {
  const ops: LineOp[] = [
    { partnerId: 'p', line: base(), claim: { entryId: 'commission:inv-1', payoutId: null } },
    { partnerId: 'p', line: base(), reversal, claim: { entryId: 'reversal:re-1', payoutId: null } },
    { partnerId: 'p', line: base(), claim: { entryId: 'commission:inv-1', payoutId: 'po_1' } },
  ];

  it('gives the same line whatever the order and however often an op is applied', () => {
    const forward = applyToMonth([], ops);
    const backward = applyToMonth([], [ops[2]!, ops[1]!, ops[0]!, ops[1]!]);
    // The claim op sets what the claim was when read: the last one read wins, as in the folder.
    expect(forward).toEqual(applyToMonth([], [...ops, ...ops]));
    expect(backward[0]!.reversals).toEqual(forward[0]!.reversals);
    expect(forward[0]!.payoutId).toBe('po_1');
  });

  it('changes the totals by the difference only', () => {
    const once = applyLineOp(undefined, ops[0]!);
    const reversed = applyLineOp(once, ops[1]!);
    expect(effectChange(undefined, once)).toEqual({
      paid: 0,
      reversed: 0,
      unclaimed: [{ at: base().availableAt.getTime(), amount: 10_000 }],
      net: 10_000,
    });
    expect(effectChange(once, reversed)).toEqual({
      paid: 0,
      reversed: 2500,
      unclaimed: [{ at: base().availableAt.getTime(), amount: -2500 }],
      net: -2500,
    });
    expect(effectChange(reversed, applyLineOp(reversed, ops[1]!))).toEqual({
      paid: 0,
      reversed: 0,
      unclaimed: [],
      net: 0,
    });
  });
});

describe('status at read time', () => {
  const line = (overrides: Partial<StoredLine> = {}): StoredLine => ({
    ...base(),
    payoutId: null,
    reversals: [],
    ...overrides,
  });
  const availableAt = base().availableAt.getTime();

  it('is pending until availableAt, payable from that millisecond, paid once claimed', () => {
    expect(statementLine(line(), new Date(availableAt - 1)).status).toBe('pending');
    expect(statementLine(line(), new Date(availableAt)).status).toBe('payable');
    expect(statementLine(line({ payoutId: 'po_1' }), new Date(availableAt - 1)).status).toBe('paid');
  });

  it('folds reversals in, and shows reversed once nothing is left', () => {
    const partly = statementLine(line({ reversals: [{ ...reversal, payoutId: null }] }), new Date(availableAt));
    expect(partly).toMatchObject({ refunded: 2500, net: 7500, status: 'payable', rateBasisPoints: 2500 });
    const all = line({ reversals: [{ ...reversal, amount: -10_000, payoutId: null }] });
    expect(statementLine(all, new Date(availableAt))).toMatchObject({ net: 0, status: 'reversed' });
  });
});

describe('balance and release calendar', () => {
  const folded = new Date('2026-03-10T12:00:00.000Z');
  const change = (at: number, amount: number) => ({
    paid: 0,
    reversed: 0,
    unclaimed: [{ at, amount }],
    months: ['2026-01'],
    bookMonths: [],
  });

  function fold(releases: Array<[number, number]>) {
    let totals: MoneyTotals | null = null;
    const days = new Map<string, Record<string, number>>();
    for (const [seq, [at, amount]] of releases.entries()) {
      const result = applyTotals(totals, 'p', change(at, amount), folded, seq + 1);
      totals = result.totals;
      for (const [when, changes] of result.releaseDays) {
        const stored = days.get(when) ?? {};
        for (const [ms, value] of Object.entries(changes)) stored[ms] = (stored[ms] ?? 0) + value;
        days.set(when, stored);
      }
    }
    return { totals: totals!, days };
  }

  it('is exact to the millisecond on the day asked, and sums older days', () => {
    const release = Date.parse('2026-04-15T08:30:00.123Z');
    const { totals, days } = fold([
      [Date.parse('2026-01-01T00:00:00.000Z'), 1000],
      [release, 2000],
      [Date.parse('2026-05-02T00:00:00.000Z'), 4000],
    ]);
    expect(totals.released).toBe(1000);
    const at = (ms: number) => balanceAt(totals, days.get('2026-04-15'), new Date(ms), days.get('2026-05-02'));
    expect(at(release - 1)).toMatchObject({ payable: 1000, pending: 6000, nextReleaseAt: new Date(release) });
    expect(at(release)).toMatchObject({ payable: 3000, pending: 4000 });
    expect(at(release).releases).toEqual([{ month: '2026-05', amount: 4000 }]);
    expect(at(release - 1).releases).toEqual([
      { month: '2026-04', amount: 2000 },
      { month: '2026-05', amount: 4000 },
    ]);
  });

  it('moves days more than a day behind the fold into the released sum', () => {
    const { totals } = fold([
      [Date.parse('2026-03-08T23:00:00.000Z'), 500],
      [Date.parse('2026-03-09T23:00:00.000Z'), 700],
    ]);
    expect(totals.fromDay).toBe('2026-03-09');
    expect(totals.released).toBe(500);
    expect(totals.days).toEqual({ '2026-03-09': 700 });
  });

  it('carries a payable amount below the minimum forward', () => {
    expect(carriedForward(7500, 10_000)).toEqual({ belowMinimum: true, carriedForward: 7500 });
    expect(carriedForward(10_000, 10_000)).toEqual({ belowMinimum: false, carriedForward: 0 });
    expect(carriedForward(0, 10_000)).toEqual({ belowMinimum: false, carriedForward: 0 });
  });
});

describe('book of business', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');

  it('counts a customer churned after 45 days without an invoice (or since the signup)', () => {
    const at = (days: number) => new Date(now.getTime() - days * day);
    expect(customerStatus({ latestInvoiceAt: at(45), signedUpAt: at(400) }, now)).toBe('active');
    expect(customerStatus({ latestInvoiceAt: new Date(at(45).getTime() - 1), signedUpAt: at(400) }, now)).toBe(
      'churned',
    );
    expect(customerStatus({ latestInvoiceAt: null, signedUpAt: at(10) }, now)).toBe('active');
    expect(customerStatus({ latestInvoiceAt: null, signedUpAt: at(60) }, now)).toBe('churned');
  });

  it("shows this UTC month's revenue only in that month", () => {
    expect(revenueThisMonth({ revenueMonth: '2026-03', monthRevenue: 900 }, now)).toBe(900);
    expect(revenueThisMonth({ revenueMonth: '2026-02', monthRevenue: 900 }, now)).toBe(0);
  });
});

describe('folding in batches', () => {
  it('gives the same documents in one batch or in several, and folding an op again changes nothing', async () => {
    const at = new Date('2026-03-10T12:00:00.000Z');
    const ops: LineOp[] = [
      { partnerId: 'p', line: base(), claim: { entryId: 'commission:inv-1', payoutId: null } },
      { partnerId: 'p', line: base(), reversal, claim: { entryId: 'reversal:re-1', payoutId: null } },
      {
        partnerId: 'p',
        line: base({ entryId: 'commission:inv-2', eventId: 'inv-2', occurredAt: new Date('2026-02-01T00:00:00Z') }),
        claim: { entryId: 'commission:inv-2', payoutId: 'po_1' },
      },
    ];
    const one = emptyMoneyDocs();
    await foldMoneyInMemory(one, { lines: ops, books: [] }, at, 1);
    const several = emptyMoneyDocs();
    for (const [index, op] of ops.entries()) {
      await foldMoneyInMemory(several, { lines: [op], books: [] }, at, index + 1);
    }
    await foldMoneyInMemory(several, { lines: [ops[1]!], books: [] }, at, 9);
    const content = (docs: typeof one) => ({
      statements: [...docs.statements.values()].map((doc) => ({ ...doc, seq: 0 })),
      totals: [...docs.totals.values()].map(({ seq: _seq, ...doc }) => doc),
      books: [...docs.books.values()].map(({ seq: _seq, ...doc }) => doc),
    });
    expect(content(several)).toEqual(content(one));
    expect(one.totals.get('p')).toMatchObject({ paid: 10_000, reversed: 2500, months: ['2026-01', '2026-02'] });
    expect(one.books.get('p|2026-01')!.customers).toEqual([expect.objectContaining({ lifetimeCommission: 17_500 })]);
  });
});

describe('release days as stored', () => {
  it('packs releases in time order into one string and reads them back, and reads a day of an older version', () => {
    const at = { '1772323200500': -250, '1772323200000': 1000, '99999999999': 7 };
    const doc = releaseDayDoc('p', '2027-03-01', 4, at);
    expect(doc).toEqual({
      _id: 'p|2027-03-01',
      partnerId: 'p',
      day: '2027-03-01',
      seq: 4,
      packed: '99999999999=7 1772323200000=1000 1772323200500=-250',
    });
    expect(releasesOf(doc)).toEqual(at);
    expect(releasesOf(releaseDayDoc('p', '2027-03-01', 4, {}))).toEqual({});
    expect(releasesOf({ at })).toEqual(at);
    expect(releasesOf(null)).toEqual({});
  });
});
