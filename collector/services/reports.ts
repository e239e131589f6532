// Partner reports: counters from daily_stats (O(days × banners) documents for a partner, never raw
// clicks) and money from the ledger with its derived statuses (domain/ledger.ts).
import {
  commissionStatus,
  entryStatus,
  netCommissions,
  summarizeLedger,
  type EntryStatus,
  type LedgerTotals,
} from '../domain/ledger';
import { eachDay, type DayRange } from '../domain/day-range';
import type { Models } from '../models';
import type { ServiceDeps } from './deps';

export const counterNames = ['clicks', 'uniqueClicks', 'signups', 'customers', 'revenue', 'commission'] as const;
export type Counters = Record<(typeof counterNames)[number], number>;

const zeroCounters = (): Counters => ({
  clicks: 0,
  uniqueClicks: 0,
  signups: 0,
  customers: 0,
  revenue: 0,
  commission: 0,
});

function add(into: Counters, from: Partial<Record<keyof Counters, unknown>>): void {
  for (const name of counterNames) into[name] += typeof from[name] === 'number' ? from[name] : 0;
}

type ModelDeps = Pick<ServiceDeps, 'models'>;

/** A partner's ledger and which of its entries a payout claimed (and which payout). */
async function ledgerOf(models: Models, partnerId: string) {
  const [entries, claims] = await Promise.all([
    models.LedgerEntry.find({ partnerId }).sort({ occurredAt: 1, _id: 1 }).lean(),
    models.PayoutClaim.find({ partnerId }, { payoutId: 1 }).lean(),
  ]);
  return { entries, claimedBy: new Map(claims.map((claim) => [claim._id, claim.payoutId])) };
}

export interface PartnerStats {
  from: string;
  to: string;
  currency: string;
  totals: Omit<Counters, 'commission'> & { commission: Omit<LedgerTotals, 'balance'>; earned: number; balance: number };
  daily: Array<{ day: string } & Counters>;
  byBanner: Array<{ bid: string | null } & Counters>;
}

/**
 * Counters (and commission earned) over the days asked; `commission` by status and `balance` are
 * the partner's current standing over the whole ledger (what is pending, payable, paid today).
 */
export async function partnerStats(
  { config, models }: ServiceDeps,
  partnerId: string,
  range: DayRange,
  now: Date,
): Promise<PartnerStats> {
  const [stats, ledger] = await Promise.all([
    models.DailyStat.find({ partnerId, day: { $gte: range.from, $lte: range.to } }).lean(),
    ledgerOf(models, partnerId),
  ]);
  const days = new Map(eachDay(range).map((day) => [day, { day, ...zeroCounters() }]));
  const banners = new Map<string, { bid: string | null } & Counters>();
  const totals = zeroCounters();
  for (const row of stats) {
    const day = days.get(row.day);
    if (day) add(day, row);
    const bid = row.bid ?? '';
    const banner = banners.get(bid) ?? { bid: bid || null, ...zeroCounters() };
    add(banner, row);
    banners.set(bid, banner);
    add(totals, row);
  }
  const { balance, ...commission } = summarizeLedger(ledger.entries, new Set(ledger.claimedBy.keys()), now);
  const { commission: earned, ...counters } = totals;
  return {
    from: range.from,
    to: range.to,
    currency: config.currency,
    totals: { ...counters, commission, earned, balance },
    daily: [...days.values()],
    byBanner: [...banners.values()].sort((a, b) => b.clicks - a.clicks || String(a.bid).localeCompare(String(b.bid))),
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
  const [partners, stats, entries, claims] = await Promise.all([
    models.Partner.find({}, { email: 1, name: 1, status: 1 }).lean(),
    // Summed here, not with $group: FerretDB 1.24 computes only the first of several $sum
    // accumulators in one $group (the others come back 0).
    models.DailyStat.find({ day: { $gte: range.from, $lte: range.to } }, { _id: 0, day: 0, bid: 0 }).lean(),
    models.LedgerEntry.find({}, { partnerId: 1, kind: 1, amount: 1, reverses: 1, availableAt: 1 }).lean(),
    models.PayoutClaim.find({}, { _id: 1 }).lean(),
  ]);
  const claimed = new Set(claims.map((claim) => claim._id));
  const statsBy = new Map<string, Counters>();
  for (const row of stats) {
    const counters = statsBy.get(row.partnerId) ?? zeroCounters();
    add(counters, row);
    statsBy.set(row.partnerId, counters);
  }
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
