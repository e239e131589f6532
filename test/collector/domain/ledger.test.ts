import {
  claimableEntries,
  commissionStatus,
  entryStatus,
  netCommissions,
  summarizeLedger,
  type LedgerLine,
} from '../../../collector/domain/ledger';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const commission = (id: string, amount: number, availableDay: number): LedgerLine => ({
  _id: id,
  kind: 'commission',
  amount,
  availableAt: day(availableDay),
});
const reversal = (id: string, of: LedgerLine, amount: number): LedgerLine => ({
  _id: id,
  kind: 'reversal',
  amount,
  reverses: of._id,
  availableAt: of.availableAt,
});
const clawback = (id: string, amount: number, availableDay: number): LedgerLine => ({
  _id: id,
  kind: 'clawback',
  amount,
  availableAt: day(availableDay),
});

describe('entryStatus', () => {
  const entry = commission('c1', 1000, 120);
  test('pending before availableAt, payable from it, paid once claimed', () => {
    expect(entryStatus(entry, false, day(119))).toBe('pending');
    expect(entryStatus(entry, false, day(120))).toBe('payable');
    expect(entryStatus(entry, false, day(500))).toBe('payable');
    expect(entryStatus(entry, true, day(119))).toBe('paid');
    expect(entryStatus(entry, true, day(121))).toBe('paid');
  });
});

describe('netCommissions and commissionStatus', () => {
  const c1 = commission('c1', 1000, 120);
  const c2 = commission('c2', 500, 150);
  test('reversals fold into the commission they reverse; clawbacks do not', () => {
    const net = netCommissions([c1, c2, reversal('r1', c1, -400), reversal('r2', c1, -600), clawback('k1', -100, 10)]);
    expect(net.get('c1')).toBe(0);
    expect(net.get('c2')).toBe(500);
    expect(net.has('k1')).toBe(false);
  });

  test('a fully reversed commission shows reversed; a partly reversed one its own status', () => {
    expect(commissionStatus(c1, 0, false, day(200))).toBe('reversed');
    expect(commissionStatus(c1, 600, false, day(10))).toBe('pending');
    expect(commissionStatus(c1, 600, false, day(130))).toBe('payable');
    expect(commissionStatus(c1, 600, true, day(130))).toBe('paid');
  });
});

describe('summarizeLedger', () => {
  const c1 = commission('c1', 1000, 120);
  const c2 = commission('c2', 2000, 10);
  const c3 = commission('c3', 700, 5);
  const entries = [c1, c2, c3, reversal('r1', c1, -250), clawback('k1', -300, 20)];

  test('at day 0 everything is pending and nothing is payable', () => {
    expect(summarizeLedger(entries, new Set(), day(0))).toEqual({
      pending: 3150,
      payable: 0,
      paid: 0,
      reversed: 250,
      balance: 0,
    });
  });

  test('available unclaimed entries make the balance; claimed ones are paid', () => {
    const totals = summarizeLedger(entries, new Set(['c3']), day(30));
    // c2 (2000) payable, clawback (-300) payable, c1 and its reversal pending (750), c3 paid.
    expect(totals).toEqual({ pending: 750, payable: 1700, paid: 700, reversed: 250, balance: 1700 });
  });

  test('after the hold everything unclaimed is payable', () => {
    expect(summarizeLedger(entries, new Set(['c3']), day(120))).toEqual({
      pending: 0,
      payable: 2450,
      paid: 700,
      reversed: 250,
      balance: 2450,
    });
  });
});

test('claimableEntries: available and not claimed, including negative ones', () => {
  const c1 = commission('c1', 1000, 120);
  const c2 = commission('c2', 2000, 10);
  const k1 = clawback('k1', -300, 20);
  const r1 = reversal('r1', c2, -500);
  expect(claimableEntries([c1, c2, k1, r1], new Set(['c2']), day(30)).map((entry) => entry._id)).toEqual(['k1', 'r1']);
  expect(claimableEntries([c1, c2, k1, r1], new Set(), day(130)).map((entry) => entry._id)).toEqual([
    'c1',
    'c2',
    'k1',
    'r1',
  ]);
});
