// The layout of the counters partners and operators read (README "Read models").
// Pure functions: which bucket a fact lands in, how increments add up, how a period is read back.
//
// - A partner's month is ONE bucket document, `_id` = `<partnerId>|YYYY-MM` (UTC): daily totals and,
//   per UTC day, counters by banner, sub-ID (data1, data2) and landing page. A period of up to 366
//   days is at most 13 exact-`_id` reads, whatever the history.
// - A program's month is one summary document, `_id` = `_program|YYYY-MM`: every partner's daily
//   totals, so the operator report reads at most 13 documents for any number of clicks.
// - Distinct sub-IDs and landing pages are capped per dimension and month (the rest count under
//   `otherKey`), so a bucket stays small even when a partner puts a unique value in every link.
import { eachDay, type DayRange } from './day-range';
import { utcDay } from './days';

/** The counters, defined once: stored, folded, reported and exported in this order. */
export const counterNames = ['clicks', 'uniqueClicks', 'signups', 'customers', 'revenue', 'commission'] as const;
export type CounterName = (typeof counterNames)[number];
export type Counters = Record<CounterName, number>;
export type CounterIncrements = Partial<Counters>;

/** `coupon`: the code that bound a coupon customer (lower case); such customers have no banner. */
export const dimensions = ['banner', 'data1', 'data2', 'page', 'coupon'] as const;
export type Dimension = (typeof dimensions)[number];

/** Distinct values kept per dimension and month before the rest count as `otherKey`. */
/** A coupon customer came through a code, not a click: its facts count only under the code. */
const couponDimensions: readonly Dimension[] = ['coupon'];
const clickDimensions: readonly Dimension[] = dimensions.filter((dimension) => dimension !== 'coupon');
export const maxKeysPerDimension = 200;
export const noneKey = '-';
export const otherKey = '~other';
export const programPartnerId = '_program';

export const zeroCounters = (): Counters => ({
  clicks: 0,
  uniqueClicks: 0,
  signups: 0,
  customers: 0,
  revenue: 0,
  commission: 0,
});

export function addCounters(into: Counters | CounterIncrements, from: CounterIncrements | undefined): void {
  if (!from) return;
  for (const name of counterNames) {
    const value = from[name];
    if (typeof value === 'number' && value !== 0) into[name] = (into[name] ?? 0) + value;
  }
}

export const monthOf = (day: string) => day.slice(0, 7);
export const bucketId = (partnerId: string, day: string) => `${partnerId}|${monthOf(day)}`;
export const programBucketId = (day: string) => `${programPartnerId}|${monthOf(day)}`;

/** The months (YYYY-MM, UTC) a period touches, oldest first. */
export function monthsOf(range: DayRange): string[] {
  const months: string[] = [];
  for (const day of eachDay(range)) if (months.at(-1) !== monthOf(day)) months.push(monthOf(day));
  return months;
}

/**
 * A stored key for a dimension value: field names must not contain '.' nor start with '$'.
 * Missing or empty values become `noneKey`; values are cut at 200 characters.
 */
export function dimensionKey(value: string | null | undefined): string {
  if (value === undefined || value === null || value === '') return noneKey;
  return `k${value.slice(0, 200).replace(/[%.$]/g, (char) => `%${char.charCodeAt(0).toString(16)}`)}`;
}

/** The value a dimension key stands for (null for `noneKey`, `otherKey` as is). */
export function dimensionValue(key: string): string | null {
  if (key === noneKey) return null;
  if (key === otherKey) return otherKey;
  return key.slice(1).replace(/%(25|2e|24)/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A landing page without query and fragment (they carry per-visitor values): origin + path. */
export function landingPage(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return null;
  }
}

/** What one fact adds: where (partner, UTC day, click dimensions) and how much. */
export interface Contribution {
  partnerId: string;
  day: string;
  banner?: string | null | undefined;
  data1?: string | null | undefined;
  data2?: string | null | undefined;
  page?: string | null | undefined;
  coupon?: string | null | undefined;
  counters: CounterIncrements;
}

export type DayCounters = Record<string, CounterIncrements>;

/** The increments of one partner-month: the same shape as its bucket document's counters. */
export interface BucketIncrements {
  days: DayCounters;
  dims: Record<Dimension, Record<string, DayCounters>>;
}

export const emptyIncrements = (): BucketIncrements => ({
  days: {},
  dims: { banner: {}, data1: {}, data2: {}, page: {}, coupon: {} },
});

const dayOfMonth = (day: string) => day.slice(8, 10);

/** Groups contributions by bucket `_id`, and the program summary's per-partner daily totals. */
export function groupContributions(contributions: readonly Contribution[]): {
  buckets: Map<string, { partnerId: string; month: string; inc: BucketIncrements }>;
  programs: Map<string, { month: string; partners: Record<string, DayCounters> }>;
} {
  const buckets = new Map<string, { partnerId: string; month: string; inc: BucketIncrements }>();
  const programs = new Map<string, { month: string; partners: Record<string, DayCounters> }>();
  for (const contribution of contributions) {
    const id = bucketId(contribution.partnerId, contribution.day);
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = { partnerId: contribution.partnerId, month: monthOf(contribution.day), inc: emptyIncrements() };
      buckets.set(id, bucket);
    }
    const dd = dayOfMonth(contribution.day);
    addCounters((bucket.inc.days[dd] ??= {}), contribution.counters);
    for (const dimension of contribution.coupon ? couponDimensions : clickDimensions) {
      const byKey = bucket.inc.dims[dimension];
      addCounters(((byKey[dimensionKey(contribution[dimension])] ??= {})[dd] ??= {}), contribution.counters);
    }
    const programId = programBucketId(contribution.day);
    let program = programs.get(programId);
    if (!program) {
      program = { month: monthOf(contribution.day), partners: {} };
      programs.set(programId, program);
    }
    addCounters(((program.partners[contribution.partnerId] ??= {})[dd] ??= {}), contribution.counters);
  }
  return { buckets, programs };
}

/** A partner-month bucket as stored. */
export interface Bucket extends BucketIncrements {
  _id: string;
  partnerId: string;
  month: string;
  /** The last fold batch applied: a batch at or below it is never applied again. */
  seq: number;
}

function addDays(into: DayCounters, from: DayCounters): void {
  for (const [dd, counters] of Object.entries(from)) addCounters((into[dd] ??= {}), counters);
}

/** `bucket` with `inc` added (a new object), values beyond the cap of a dimension under `otherKey`. */
export function foldIntoBucket(
  bucket: Bucket | null,
  id: string,
  partnerId: string,
  month: string,
  inc: BucketIncrements,
  seq: number,
): Bucket {
  const next: Bucket = structuredClone(bucket) ?? { _id: id, partnerId, month, seq: 0, ...emptyIncrements() };
  next.seq = seq;
  addDays(next.days, inc.days);
  for (const dimension of dimensions) {
    const stored = (next.dims[dimension] ??= {});
    for (const [key, days] of Object.entries(inc.dims[dimension])) {
      const full =
        Object.keys(stored).length >= maxKeysPerDimension && dimension !== 'banner' && dimension !== 'coupon';
      addDays((stored[key in stored || !full ? key : otherKey] ??= {}), days);
    }
  }
  return next;
}

/**
 * A partner-month's daily counters alone (`stat_days`, the bucket's `_id`), packed into one string
 * (`packDays`): the embedded engine's cost of reading a document grows with its number of fields
 * (a busy month's days as objects are ~200 fields: 2.8 ms to read by `_id`, 1.2 ms packed).
 */
export interface DayBucket {
  _id: string;
  partnerId: string;
  month: string;
  seq: number;
  packedDays: string;
}

export const daysOf = ({ _id, partnerId, month, seq, days }: Bucket): DayBucket => ({
  _id,
  partnerId,
  month,
  seq,
  packedDays: packDays(days),
});

/**
 * `DD=c1,c2,…` per day with counters, days apart by a space, the counters in `counterNames`
 * order with zeros left empty and trailing ones left out: `12=2,2,1,1,27700,6925 13=5,5`.
 */
export function packDays(days: DayCounters): string {
  return Object.keys(days)
    .sort()
    .map((day) => {
      const values = counterNames.map((name) => days[day]![name] || '');
      while (values.length > 0 && values[values.length - 1] === '') values.pop();
      return values.length > 0 ? `${day}=${values.join(',')}` : '';
    })
    .filter((entry) => entry !== '')
    .join(' ');
}

export function unpackDays(packed: string): DayCounters {
  const days: DayCounters = {};
  for (const entry of packed.split(' ')) {
    if (entry === '') continue;
    const [day, values] = entry.split('=') as [string, string];
    const counters: CounterIncrements = {};
    values.split(',').forEach((value, index) => {
      if (value !== '') counters[counterNames[index]!] = Number(value);
    });
    days[day] = counters;
  }
  return days;
}

/** A program-month summary as stored. */
export interface ProgramBucket {
  _id: string;
  /** The program's own partner key, so a collection sharded by partnerId can hold it. */
  partnerId: typeof programPartnerId;
  month: string;
  seq: number;
  partners: Record<string, DayCounters>;
}

export function foldIntoProgram(
  program: ProgramBucket | null,
  id: string,
  month: string,
  partners: Record<string, DayCounters>,
  seq: number,
): ProgramBucket {
  const next: ProgramBucket = structuredClone(program) ?? {
    _id: id,
    partnerId: programPartnerId,
    month,
    seq: 0,
    partners: {},
  };
  next.partnerId = programPartnerId;
  next.seq = seq;
  for (const [partnerId, days] of Object.entries(partners)) addDays((next.partners[partnerId] ??= {}), days);
  return next;
}

/** Replaces the days of `range` in a bucket by those of `fresh` (a rebuild); other days are kept. */
export function replaceDays(
  stored: Record<string, DayCounters>,
  fresh: Record<string, DayCounters>,
  daysOfMonth: ReadonlySet<string>,
): Record<string, DayCounters> {
  const result: Record<string, DayCounters> = {};
  for (const key of new Set([...Object.keys(stored), ...Object.keys(fresh)])) {
    const kept = Object.fromEntries(Object.entries(stored[key] ?? {}).filter(([dd]) => !daysOfMonth.has(dd)));
    const days = { ...kept, ...fresh[key] };
    if (Object.keys(days).length > 0) result[key] = days;
  }
  return result;
}

export interface PeriodCounters {
  totals: Counters;
  daily: Array<{ day: string } & Counters>;
  by: Record<Dimension, Array<{ key: string | null } & Counters>>;
}

/** A partner's counters over a period from the buckets of its months (missing buckets count zero). */
export function periodCounters(
  range: DayRange,
  buckets: ReadonlyArray<BucketIncrements & { month: string }>,
): PeriodCounters {
  const byMonth = new Map(buckets.map((bucket) => [bucket.month, bucket]));
  const inRange = (month: string, dd: string) => {
    const day = `${month}-${dd}`;
    return day >= range.from && day <= range.to;
  };
  const totals = zeroCounters();
  const daily = eachDay(range).map((day) => {
    const row = { day, ...zeroCounters() };
    addCounters(row, byMonth.get(monthOf(day))?.days[dayOfMonth(day)]);
    addCounters(totals, row);
    return row;
  });
  const by = {} as PeriodCounters['by'];
  for (const dimension of dimensions) {
    const rows = new Map<string, { key: string | null } & Counters>();
    for (const bucket of buckets) {
      for (const [key, days] of Object.entries(bucket.dims[dimension] ?? {})) {
        for (const [dd, counters] of Object.entries(days)) {
          if (!inRange(bucket.month, dd)) continue;
          const row = rows.get(key) ?? { key: dimensionValue(key), ...zeroCounters() };
          addCounters(row, counters);
          rows.set(key, row);
        }
      }
    }
    by[dimension] = [...rows.values()].sort(
      (a, b) => b.clicks - a.clicks || String(a.key).localeCompare(String(b.key)),
    );
  }
  return { totals, daily, by };
}

/** Every partner's totals over a period from the program summaries of its months. */
export function programTotals(
  range: DayRange,
  programs: ReadonlyArray<Pick<ProgramBucket, 'month' | 'partners'>>,
): Map<string, Counters> {
  const totals = new Map<string, Counters>();
  for (const program of programs) {
    for (const [partnerId, days] of Object.entries(program.partners)) {
      for (const [dd, counters] of Object.entries(days)) {
        const day = `${program.month}-${dd}`;
        if (day < range.from || day > range.to) continue;
        const row = totals.get(partnerId) ?? zeroCounters();
        addCounters(row, counters);
        totals.set(partnerId, row);
      }
    }
  }
  return totals;
}

/** A counted click as the click writer records it in its batch's delta. */
export interface ClickEntry {
  cid: string;
  partnerId: string;
  day: string;
  bid?: string | null | undefined;
  data1?: string | null | undefined;
  data2?: string | null | undefined;
  page?: string | null | undefined;
  unique: boolean;
}

export function clickContribution(click: ClickEntry): Contribution {
  return {
    partnerId: click.partnerId,
    day: click.day,
    banner: click.bid,
    data1: click.data1,
    data2: click.data2,
    page: click.page,
    counters: { clicks: 1, uniqueClicks: click.unique ? 1 : 0 },
  };
}

/** Where a customer's later facts land besides its partner: the banner and click that brought it. */
export interface ClickDimensions {
  banner?: string | null | undefined;
  data1?: string | null | undefined;
  data2?: string | null | undefined;
  page?: string | null | undefined;
  coupon?: string | null | undefined;
}

/** A bound customer: one signup on the UTC day it was bound. */
export function signupContribution(partnerId: string, boundAt: Date, dims: ClickDimensions): Contribution {
  return { partnerId, day: utcDay(boundAt), ...dims, counters: { signups: 1 } };
}

/** An invoice: its total and commission on its UTC day; a paying customer if it was the customer's first. */
export function invoiceContribution(
  invoice: { partnerId: string; occurredAt: Date; total: number; commission: number },
  dims: ClickDimensions,
  firstOfCustomer: boolean,
): Contribution {
  return {
    partnerId: invoice.partnerId,
    day: utcDay(invoice.occurredAt),
    ...dims,
    counters: { revenue: invoice.total, commission: invoice.commission, customers: firstOfCustomer ? 1 : 0 },
  };
}

/** A refund or chargeback takes its amount and the commission it reversed back, on its own day. */
export function refundContribution(
  refund: { partnerId: string; occurredAt: Date; amount: number; commissionReversed: number },
  dims: ClickDimensions,
): Contribution {
  return {
    partnerId: refund.partnerId,
    day: utcDay(refund.occurredAt),
    ...dims,
    counters: { revenue: -refund.amount, commission: -refund.commissionReversed },
  };
}
