// Partner reports: counters from the bucket read models (domain/stat-layout.ts: at most 13 documents
// read by `_id` for any period, never raw clicks) and money from the money read models
// (domain/statement.ts: the partner's totals and at most two release days, by `_id`).
import type { LedgerTotals } from '../domain/ledger';
import type { MoneyTotals } from '../domain/statement';
import type { DayRange } from '../domain/day-range';
import {
  bucketId,
  monthsOf,
  periodCounters,
  programBucketId,
  programTotals,
  zeroCounters,
  type BucketIncrements,
  type Counters,
  type DayBucket,
  unpackDays,
  type DayCounters,
  type ProgramBucket,
  programPartnerId,
} from '../domain/stat-layout';
import { keyFilter } from '../db/key-filter';
import type { Models } from '../models';
import type { ServiceDeps } from './deps';
import { allListedPartners, directoryPage, type ListedPartner } from './partner-directory';
import { balanceFrom } from './statements';
import { daysCopied } from './stats-migration';

type ModelDeps = Pick<ServiceDeps, 'models'>;

/** Commission by status and balance at `asOf`, as /v1/me/stats and the report show them. */
async function standingOf(models: Models, partnerId: string, asOf: Date): Promise<LedgerTotals> {
  const totals = (await models.MoneyTotal.findById(partnerId).lean()) as MoneyTotals | null;
  const { pending, payable, paid, reversed, balance } = await balanceFrom(models, partnerId, totals, asOf, false);
  return { pending, payable, paid, reversed, balance };
}

type Breakdown<K extends string> = Array<Record<K, string | null> & Counters>;

export interface PartnerStats {
  from: string;
  to: string;
  currency: string;
  totals: Omit<Counters, 'commission'> & { commission: Omit<LedgerTotals, 'balance'>; earned: number; balance: number };
  daily: Array<{ day: string } & Counters>;
  byBanner: Breakdown<'bid'>;
  /** By the sub-IDs partners put in their links (`data1`, `data2`) and by landing page (origin + path). */
  byData1: Breakdown<'value'>;
  byData2: Breakdown<'value'>;
  byLandingPage: Breakdown<'page'>;
  /** Customers bound by a coupon code count under the code (lower case), not a banner. */
  byCoupon: Breakdown<'code'>;
}

const rename = <K extends string>(rows: Array<{ key: string | null } & Counters>, name: K): Breakdown<K> =>
  rows.map(({ key, ...counters }) => ({ [name]: key, ...counters }) as Record<K, string | null> & Counters);

/** A partner's counters over the days asked, by day and by dimension: one keyed read per month. */
export async function periodOf(models: Models, partnerId: string, range: DayRange) {
  const buckets = await Promise.all(
    monthsOf(range).map((month) =>
      models.StatBucket.findOne(keyFilter(models.StatBucket, bucketId(partnerId, `${month}-01`), partnerId), {
        days: 1,
        dims: 1,
        month: 1,
      }).lean(),
    ),
  );
  return periodCounters(
    range,
    buckets.filter((bucket) => bucket !== null) as unknown as Array<BucketIncrements & { month: string }>,
  );
}

/**
 * Counters (and commission earned) over the days asked; `commission` by status and `balance` are
 * the partner's current standing over the whole ledger (what is pending, payable, paid today).
 * Counters lag the facts by the fold interval (see services/stats-folder.ts).
 */
export async function partnerStats(
  { config, models }: ServiceDeps,
  partnerId: string,
  range: DayRange,
  now: Date,
): Promise<PartnerStats> {
  const [period, standing] = await Promise.all([
    periodOf(models, partnerId, range),
    standingOf(models, partnerId, now),
  ]);
  const { balance, ...commission } = standing;
  const { commission: earned, ...counters } = period.totals;
  return {
    from: range.from,
    to: range.to,
    currency: config.currency,
    totals: { ...counters, commission, earned, balance },
    daily: period.daily,
    byBanner: rename(period.by.banner, 'bid'),
    byData1: rename(period.by.data1, 'value'),
    byData2: rename(period.by.data2, 'value'),
    byLandingPage: rename(period.by.page, 'page'),
    byCoupon: rename(period.by.coupon, 'code').filter((row) => row.code !== null),
  };
}

/** Every partner's counters over the range from the program's month summaries (at most 13 documents). */
async function programCounters(models: Models, range: DayRange): Promise<Map<string, Counters>> {
  const programs = await Promise.all(
    monthsOf(range).map((month) =>
      models.StatBucket.findOne(keyFilter(models.StatBucket, programBucketId(`${month}-01`), programPartnerId)).lean(),
    ),
  );
  return programTotals(range, programs.filter((program) => program !== null) as unknown as ProgramBucket[]);
}

/**
 * A page of partners' counters over the range from their own months' daily counters (`stat_days`,
 * a few KB each): the program summaries hold every partner's days, so they grow with the program.
 */
async function pageCounters(
  models: Models,
  partnerIds: readonly string[],
  range: DayRange,
): Promise<Map<string, Counters>> {
  const months = monthsOf(range);
  const programs = months.map((month) => ({ month, partners: {} as Record<string, DayCounters> }));
  const reads = partnerIds.flatMap((partnerId) => programs.map((program) => ({ partnerId, program })));
  for (let start = 0; start < reads.length; start += standingsInFlight) {
    await Promise.all(
      reads.slice(start, start + standingsInFlight).map(async ({ partnerId, program }) => {
        const id = bucketId(partnerId, `${program.month}-01`);
        const stored = (await models.StatDay.findOne(
          keyFilter(models.StatDay, id, partnerId),
        ).lean()) as DayBucket | null;
        if (stored) program.partners[partnerId] = unpackDays(stored.packedDays);
      }),
    );
  }
  return programTotals(range, programs);
}

/** Shaped like /v1/me/stats totals: counters over the period, commission by status and balance now. */
export type ReportRow = { partnerId: string; name: string; email: string; status: string } & PartnerStats['totals'];

const standingsInFlight = 16;

/** Every listed partner (the unpaged report), or one page of the directory. */
async function reportPartners(models: Models, page: { limit?: number | undefined; after?: string | undefined }) {
  if (page.limit === undefined) {
    const partners: ListedPartner[] = [];
    for await (const partner of allListedPartners(models)) partners.push(partner);
    return { partners, nextAfter: null };
  }
  return directoryPage(models, {}, { limit: page.limit, after: page.after });
}

/**
 * Partners newest first from the directory, below the entry `after` (all of them without `limit`),
 * each with its counters over the range and its money standing now (its totals, by `_id`): all
 * partners from the program summaries (at most 13 documents), a page from its partners' own month
 * days (`stat_days`), so a page costs the same whatever the history.
 */
export async function partnersReport(
  { models }: ModelDeps,
  range: DayRange,
  now: Date,
  page: { limit?: number | undefined; after?: string | undefined } = {},
): Promise<{ rows: ReportRow[]; nextCursor: string | null }> {
  const { partners: shown, nextAfter } = await reportPartners(models, page);
  const statsBy =
    page.limit !== undefined && (await daysCopied(models))
      ? await pageCounters(
          models,
          shown.map((partner) => partner._id),
          range,
        )
      : await programCounters(models, range);
  const rows: ReportRow[] = [];
  // A few keyed reads in flight at a time: the latency of one partner's, not of all in a row.
  for (let start = 0; start < shown.length; start += standingsInFlight) {
    const chunk = shown.slice(start, start + standingsInFlight);
    const standings = await Promise.all(chunk.map((partner) => standingOf(models, partner._id, now)));
    for (const [index, partner] of chunk.entries()) {
      const { commission: earned, ...rest } = statsBy.get(partner._id) ?? zeroCounters();
      const { balance, ...commission } = standings[index]!;
      rows.push({
        partnerId: partner._id,
        name: partner.name,
        email: partner.email,
        status: partner.status,
        ...rest,
        earned,
        commission,
        balance,
      });
    }
  }
  return { rows, nextCursor: nextAfter };
}
