import { bannerIdField, instantField } from '../../../collector/domain/validation';

describe('instantField (a payout run as of a time)', () => {
  it('reads a date alone as 00:00 UTC and a time with its offset', () => {
    expect(instantField.parse('2026-12-01')).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(instantField.parse('2026-12-01T10:30:00+02:00')).toEqual(new Date('2026-12-01T08:30:00Z'));
    expect(instantField.parse('2026-12-01T10:30:00Z')).toEqual(new Date('2026-12-01T10:30:00Z'));
  });

  it('refuses a time without offset (local time is ambiguous) and anything else', () => {
    for (const text of ['2026-12-01T10:30:00', '2026-13-01', '2026-02-30', 'next tuesday', ''])
      expect(instantField.safeParse(text).success).toBe(false);
  });
});

describe('bannerIdField (the a_bid of links)', () => {
  it('takes 1-64 characters of A-Z a-z 0-9 _ -, nothing else', () => {
    expect(bannerIdField.safeParse('summer_2026-b').success).toBe(true);
    expect(bannerIdField.safeParse('x'.repeat(64)).success).toBe(true);
    for (const id of ['', 'x'.repeat(65), 'a b', 'a/b', 'ä']) expect(bannerIdField.safeParse(id).success).toBe(false);
  });
});
