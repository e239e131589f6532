// Partner reports: counters from the bucket read models (domain/stat-layout.ts: at most 13 documents
// read by `_id` for any period, never raw clicks) and money from the ledger with its derived
// statuses (domain/ledger.ts).
import {
  commissionStatus,
  entryStatus,
  netCommissions,
  summarizeLedger,
  type EntryStatus,
  type LedgerTotals,
} from '../domain/ledger';
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
  type ProgramBucket,
  programPartnerId,
} from '../domain/stat-layout';
import { keyFilter } from '../db/key-filter';
import type { Models } from '../models';
import type { ServiceDeps } from './deps';

type ModelDeps = Pick<ServiceDeps, 'models'>;

/** A partner's ledger and which of its entries a payout claimed (and which payout). */
async function ledgerOf(models: Models, partnerId: string) {
  const [entries, claims] = await Promise.all([
    models.LedgerEntry.find({ partnerId }).sort({ occurredAt: 1, _id: 1 }).lean(),
    models.PayoutClaim.find({ partnerId }, { payoutId: 1 }).lean(),
  ]);
  return { entries, claimedBy: new Map(claims.map((claim) => [claim._id, claim.payoutId])) };
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
  const [buckets, ledger] = await Promise.all([
    Promise.all(
      monthsOf(range).map((month) =>
        models.StatBucket.findOne(keyFilter(models.StatBucket, bucketId(partnerId, `${month}-01`), partnerId), {
          days: 1,
          dims: 1,
          month: 1,
        }).lean(),
      ),
    ),
    ledgerOf(models, partnerId),
  ]);
  const period = periodCounters(
    range,
    buckets.filter((bucket) => bucket !== null) as unknown as Array<BucketIncrements & { month: string }>,
  );
  const { balance, ...commission } = summarizeLedger(ledger.entries, new Set(ledger.claimedBy.keys()), now);
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

export interface CommissionLine {
  entryId: string;
  kind: 'commission' | 'clawback' | 'adjustment';
  /** For adjustments: the operator's reason. */
  memo: string | null;
  customerId: string | null;
  eventId: string;
  occurredAt: Date;
  availableAt: Date;
  amount: number;
  /** After reversals (refunds before payout, a disabled account). */
  net: number;
  status: EntryStatus;
  payoutId: string | null;
}

/** A partner's ledger as lines: commissions (reversals folded in), clawbacks and adjustments, newest first. */
export async function commissionLines({ models }: ModelDeps, partnerId: string, now: Date): Promise<CommissionLine[]> {
  const { entries, claimedBy } = await ledgerOf(models, partnerId);
  const net = netCommissions(entries);
  const lines: CommissionLine[] = [];
  for (const entry of entries) {
    if (entry.kind === 'reversal') continue;
    const claimed = claimedBy.has(entry._id);
    const amountLeft = entry.kind === 'commission' ? net.get(entry._id)! : entry.amount;
    lines.push({
      entryId: entry._id,
      kind: entry.kind,
      memo: entry.memo ?? null,
      customerId: entry.customerId ?? null,
      eventId: entry.eventId,
      occurredAt: entry.occurredAt,
      availableAt: entry.availableAt,
      amount: entry.amount,
      net: amountLeft,
      status:
        entry.kind === 'commission'
          ? commissionStatus(entry, amountLeft, claimed, now)
          : entryStatus(entry, claimed, now),
      payoutId: claimedBy.get(entry._id) ?? null,
    });
  }
  return lines.reverse();
}

/** Shaped like /v1/me/stats totals: counters over the period, commission by status and balance now. */
export type ReportRow = { partnerId: string; name: string; email: string; status: string } & PartnerStats['totals'];

/** Every partner's counters over the range and current ledger standing, for operators. */
export async function partnersReport({ models }: ModelDeps, range: DayRange, now: Date): Promise<ReportRow[]> {
  const [partners, programs, entries, claims] = await Promise.all([
    models.Partner.find({}, { email: 1, name: 1, status: 1 }).lean(),
    Promise.all(
      monthsOf(range).map((month) =>
        models.StatBucket.findOne(
          keyFilter(models.StatBucket, programBucketId(`${month}-01`), programPartnerId),
        ).lean(),
      ),
    ),
    models.LedgerEntry.find({}, { partnerId: 1, kind: 1, amount: 1, reverses: 1, availableAt: 1 }).lean(),
    models.PayoutClaim.find({}, { _id: 1 }).lean(),
  ]);
  const claimed = new Set(claims.map((claim) => claim._id));
  const statsBy = programTotals(range, programs.filter((program) => program !== null) as unknown as ProgramBucket[]);
  const ledgerBy = new Map<string, typeof entries>();
  for (const entry of entries) {
    const list = ledgerBy.get(entry.partnerId);
    if (list) list.push(entry);
    else ledgerBy.set(entry.partnerId, [entry]);
  }
  return partners.map((partner) => {
    const { commission: earned, ...rest } = statsBy.get(partner._id) ?? zeroCounters();
    const { balance, ...commission } = summarizeLedger(ledgerBy.get(partner._id) ?? [], claimed, now);
    return {
      partnerId: partner._id,
      name: partner.name,
      email: partner.email,
      status: partner.status,
      ...rest,
      earned,
      commission,
      balance,
    };
  });
}
