import {
  bucketId,
  clickContribution,
  dimensionKey,
  dimensionValue,
  foldIntoBucket,
  foldIntoProgram,
  groupContributions,
  invoiceContribution,
  landingPage,
  maxKeysPerDimension,
  monthsOf,
  otherKey,
  packDays,
  periodCounters,
  programBucketId,
  programTotals,
  refundContribution,
  replaceDays,
  signupContribution,
  unpackDays,
  type Bucket,
  type Contribution,
  type DayCounters,
} from '../../../collector/domain/stat-layout';

const click = (day: string, extra: Partial<Parameters<typeof clickContribution>[0]> = {}) =>
  clickContribution({ cid: 'c', partnerId: 'p1', day, unique: true, ...extra });

/** Buckets as the folder writes them, from contributions (one batch). */
function fold(contributions: Contribution[], seq = 1): Bucket[] {
  const { buckets } = groupContributions(contributions);
  return [...buckets].map(([id, bucket]) => foldIntoBucket(null, id, bucket.partnerId, bucket.month, bucket.inc, seq));
}

describe('which key a fact lands in', () => {
  test('a partner-month bucket keyed <partnerId>|YYYY-MM, the program summary _program|YYYY-MM', () => {
    expect(bucketId('p1', '2026-05-31')).toBe('p1|2026-05');
    expect(programBucketId('2026-05-31')).toBe('_program|2026-05');
  });

  test('UTC month and year boundaries: 23:59:59.999 UTC on Dec 31 is the old year, midnight the new', () => {
    const late = signupContribution('p1', new Date('2025-12-31T23:59:59.999Z'), {});
    const early = signupContribution('p1', new Date('2026-01-01T00:00:00.000Z'), {});
    // 00:30 in Berlin on Jan 1 is still Dec 31 in UTC.
    const berlin = invoiceContribution(
      { partnerId: 'p1', occurredAt: new Date('2026-01-01T00:30:00+01:00'), total: 100, commission: 25 },
      {},
      false,
    );
    expect([late.day, early.day, berlin.day]).toEqual(['2025-12-31', '2026-01-01', '2025-12-31']);
    const ids = [...groupContributions([late, early, berlin]).buckets.keys()];
    expect(ids).toEqual(['p1|2025-12', 'p1|2026-01']);
  });

  test('what each fact adds', () => {
    expect(click('2026-05-01', { unique: false }).counters).toEqual({ clicks: 1, uniqueClicks: 0 });
    expect(signupContribution('p1', new Date('2026-05-01T10:00:00Z'), { banner: 'b' })).toMatchObject({
      banner: 'b',
      counters: { signups: 1 },
    });
    expect(
      invoiceContribution({ partnerId: 'p1', occurredAt: new Date(), total: 9900, commission: 2475 }, {}, true)
        .counters,
    ).toEqual({ revenue: 9900, commission: 2475, customers: 1 });
    expect(
      refundContribution({ partnerId: 'p1', occurredAt: new Date(), amount: 4950, commissionReversed: 1237 }, {})
        .counters,
    ).toEqual({ revenue: -4950, commission: -1237 });
  });
});

describe('banner, sub-ID and landing page counters', () => {
  test('counted per day under each dimension, "none" when the link had no value', () => {
    const [bucket] = fold([
      click('2026-05-02', { bid: 'summer', data1: 'newsletter', data2: 'a.b$c', page: 'https://shop.example/pricing' }),
      click('2026-05-02', { bid: 'summer', data1: 'newsletter', unique: false }),
      click('2026-05-03'),
    ]);
    expect(bucket!.days).toEqual({ '02': { clicks: 2, uniqueClicks: 1 }, '03': { clicks: 1, uniqueClicks: 1 } });
    expect(bucket!.dims.banner).toEqual({
      ksummer: { '02': { clicks: 2, uniqueClicks: 1 } },
      '-': { '03': { clicks: 1, uniqueClicks: 1 } },
    });
    expect(Object.keys(bucket!.dims.data2)).toEqual([dimensionKey('a.b$c'), '-']);
    const period = periodCounters({ from: '2026-05-02', to: '2026-05-02' }, [bucket!]);
    expect(period.totals).toMatchObject({ clicks: 2, uniqueClicks: 1 });
    expect(period.by.banner).toEqual([expect.objectContaining({ key: 'summer', clicks: 2 })]);
    expect(period.by.data2.map((row) => row.key)).toEqual(['a.b$c', null]);
    expect(period.by.page.map((row) => row.key)).toEqual(['https://shop.example/pricing', null]);
  });

  test('stored keys are valid field names and decode back', () => {
    for (const value of ['plain', 'a.b', '$x', '50%', '%2e']) {
      const key = dimensionKey(value);
      expect(key).not.toMatch(/[.]|^\$/);
      expect(dimensionValue(key)).toBe(value);
    }
    expect(dimensionKey(undefined)).toBe('-');
    expect(dimensionValue('-')).toBeNull();
  });

  test('landing pages keep origin and path only', () => {
    expect(landingPage('https://shop.example/pricing?utm=x&vid=1#top')).toBe('https://shop.example/pricing');
    expect(landingPage('not a url')).toBeNull();
    expect(landingPage(undefined)).toBeNull();
  });

  test('sub-IDs beyond the cap count under ~other; banners are never capped', () => {
    const many = Array.from({ length: maxKeysPerDimension + 5 }, (_, i) =>
      click('2026-05-04', { data1: `sub-${i}`, bid: `b-${i}` }),
    );
    const [bucket] = fold(many);
    expect(Object.keys(bucket!.dims.data1)).toHaveLength(maxKeysPerDimension + 1);
    expect(bucket!.dims.data1[otherKey]).toEqual({ '04': { clicks: 5, uniqueClicks: 5 } });
    expect(Object.keys(bucket!.dims.banner)).toHaveLength(maxKeysPerDimension + 5);
  });
});

describe('folding and reading back', () => {
  test('a second batch adds to the stored bucket and records its seq', () => {
    const [first] = fold([click('2026-05-01')], 1);
    const { buckets } = groupContributions([click('2026-05-01'), click('2026-05-31')]);
    const inc = buckets.get('p1|2026-05')!;
    const second = foldIntoBucket(first!, 'p1|2026-05', inc.partnerId, inc.month, inc.inc, 2);
    expect(second.seq).toBe(2);
    expect(second.days).toEqual({ '01': { clicks: 2, uniqueClicks: 2 }, '31': { clicks: 1, uniqueClicks: 1 } });
    expect(first!.days['01']).toEqual({ clicks: 1, uniqueClicks: 1 });
  });

  test('a period across a year boundary reads each month once and every day in order', () => {
    const range = { from: '2025-12-30', to: '2026-01-02' };
    expect(monthsOf(range)).toEqual(['2025-12', '2026-01']);
    const buckets = fold([click('2025-12-29'), click('2025-12-31'), click('2026-01-01'), click('2026-01-03')]);
    const period = periodCounters(range, buckets);
    expect(period.daily.map((row) => [row.day, row.clicks])).toEqual([
      ['2025-12-30', 0],
      ['2025-12-31', 1],
      ['2026-01-01', 1],
      ['2026-01-02', 0],
    ]);
    expect(period.totals.clicks).toBe(2);
  });

  test('program summaries give every partner its totals over the period', () => {
    const { programs } = groupContributions([
      click('2026-05-01'),
      click('2026-05-02', { partnerId: 'p2' }),
      click('2026-04-30', { partnerId: 'p2' }),
    ]);
    const stored = [...programs].map(([id, program]) => foldIntoProgram(null, id, program.month, program.partners, 1));
    const totals = programTotals({ from: '2026-05-01', to: '2026-05-31' }, stored);
    expect(Object.fromEntries([...totals].map(([partnerId, row]) => [partnerId, row.clicks]))).toEqual({
      p1: 1,
      p2: 1,
    });
  });

  test('a rebuild replaces the days of its period and keeps the others', () => {
    const stored = { ksummer: { '01': { clicks: 5 }, '02': { clicks: 7 } }, '-': { '02': { clicks: 1 } } };
    const fresh = { ksummer: { '02': { clicks: 3 } } };
    expect(replaceDays(stored, fresh, new Set(['02']))).toEqual({
      ksummer: { '01': { clicks: 5 }, '02': { clicks: 3 } },
    });
  });
});

describe('packed days (stat_days)', () => {
  it('packs counters in a fixed order, leaving zeros empty and trailing ones out, and unpacks them', () => {
    const days: DayCounters = {
      '12': { clicks: 2, uniqueClicks: 2, signups: 1, customers: 1, revenue: 27_700, commission: 6925 },
      '03': { clicks: 5, uniqueClicks: 5 },
      '20': { revenue: -1500, commission: -375 },
      '21': { clicks: 0 },
    };
    const packed = packDays(days);
    expect(packed).toBe('03=5,5 12=2,2,1,1,27700,6925 20=,,,,-1500,-375');
    const { '21': _empty, ...withCounters } = days;
    expect(unpackDays(packed)).toEqual(withCounters);
    expect(unpackDays(packDays({}))).toEqual({});
  });
});
