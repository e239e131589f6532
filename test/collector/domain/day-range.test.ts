// Report periods: whole UTC days, both ends inclusive.
import { dayRangeSchema, eachDay } from '../../../collector/domain/day-range';

describe('day ranges', () => {
  const schema = dayRangeSchema(() => new Date('2026-11-24T15:00:00Z'));

  it('defaults to the 30 days ending today (UTC)', () => {
    expect(schema.parse({})).toEqual({ from: '2026-10-26', to: '2026-11-24' });
    expect(schema.parse({ to: '2026-03-31' })).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(schema.parse({ from: '2026-03-01' })).toEqual({ from: '2026-03-01', to: '2026-03-30' });
    expect(eachDay({ from: '2026-02-27', to: '2026-03-01' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('refuses bad dates, reversed and too long ranges', () => {
    expect(schema.safeParse({ from: '2026-02-29' }).success).toBe(false);
    expect(schema.safeParse({ from: '2026-3-1' }).success).toBe(false);
    expect(schema.safeParse({ from: '2026-03-02', to: '2026-03-01' }).success).toBe(false);
    expect(schema.safeParse({ from: '2025-01-01', to: '2026-01-01' }).success).toBe(true); // 366 days
    expect(schema.safeParse({ from: '2025-01-01', to: '2026-01-02' }).success).toBe(false);
  });
});
