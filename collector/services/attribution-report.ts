// Attribution health (GET /v1/admin/reports/attribution): every customer's first signup is an
// insert-only fact keyed by customerId; the insert that wins adds one to its day's summary
// (attribution_days, keyed by day), which the report reads by key, one document per day.
import type { Context } from '../context';
import { attributionSources, shares, type AttributionSource } from '../domain/attribution-health';
import { eachDay, type DayRange } from '../domain/day-range';
import { utcDay } from '../domain/days';
import type { Evidence } from '../domain/signup-evidence';
import type { Logger } from '../logger';
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';

/**
 * Day summaries' increments, coalesced per day and written by one ordered queue per process (one
 * writer per document: concurrent updates of one document lose counts on the embedded engine).
 */
export class AttributionDayWriter {
  private pending = new Map<string, Record<string, number>>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
    private readonly delayMs = 50,
  ) {}

  add(day: string, counter: string): void {
    const inc = this.pending.get(day) ?? {};
    inc[counter] = (inc[counter] ?? 0) + 1;
    this.pending.set(day, inc);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.logger.error({ err: error }, 'attribution_days write failed'));
    }, this.delayMs);
  }

  /** Writes what was added so far; a failed day's increments are kept for the next flush. */
  flush(): Promise<void> {
    const run = this.chain.then(async () => {
      const batch = [...this.pending];
      this.pending = new Map();
      for (const [day, inc] of batch) {
        try {
          await this.models.AttributionDay.updateOne({ _id: day }, { $inc: inc }, { upsert: true });
        } catch (error) {
          const later = this.pending.get(day) ?? {};
          for (const [counter, n] of Object.entries(inc)) later[counter] = (later[counter] ?? 0) + n;
          this.pending.set(day, later);
          throw error;
        }
      }
    });
    this.chain = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

/** Records how a customer's first signup was decided; later signups of the customer add nothing. */
export async function recordSignupFact(
  context: Pick<Context, 'models' | 'tracking'>,
  customerId: string,
  at: Date,
  evidence: Evidence,
): Promise<void> {
  const day = utcDay(at);
  try {
    await context.models.SignupFact.create({
      _id: customerId,
      day,
      at,
      ...(evidence.attributed
        ? {
            attributed: true,
            method: evidence.method,
            source: evidence.source,
            partnerId: evidence.partnerId,
            couponCode: evidence.couponCode,
          }
        : { attributed: false, reason: evidence.reason }),
    });
  } catch (error) {
    if (isDuplicateKey(error)) return;
    throw error;
  }
  context.tracking.attributionDays.add(
    day,
    evidence.attributed ? `sources.${evidence.source}` : `reasons.${evidence.reason}`,
  );
}

const methodOfSource: Record<AttributionSource, string> = {
  sdk: 'link',
  restored: 'link',
  server: 'link',
  redirect: 'redirect',
  coupon: 'coupon',
  history: 'history',
};

export interface AttributionReport {
  from: string;
  to: string;
  signups: number;
  attributed: { count: number; share: number };
  notAttributed: { count: number; share: number };
  /** Every source, also those without signups; shares of all signups in percent (2 decimals). */
  bySource: Array<{ source: AttributionSource; method: string; count: number; share: number }>;
  /** The reasons that occurred, most frequent first. */
  byReason: Array<{ reason: string; count: number; share: number }>;
}

/** Sums the days' summaries (read by key); all shares together add up to exactly 100 (or 0 without signups). */
export async function attributionReport(
  context: Pick<Context, 'models'> & Partial<Pick<Context, 'tracking'>>,
  range: DayRange,
): Promise<AttributionReport> {
  // The day summaries this process still queues are written first.
  await context.tracking?.flush();
  const days = await Promise.all(eachDay(range).map((day) => context.models.AttributionDay.findById(day).lean()));
  const sources = new Map<AttributionSource, number>(attributionSources.map((source) => [source, 0]));
  const reasons = new Map<string, number>();
  for (const doc of days) {
    for (const [source, n] of Object.entries((doc?.sources ?? {}) as Record<string, number>))
      if (sources.has(source as AttributionSource))
        sources.set(source as AttributionSource, sources.get(source as AttributionSource)! + n);
    for (const [reason, n] of Object.entries((doc?.reasons ?? {}) as Record<string, number>))
      reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  }
  const reasonRows = [...reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const counts = [...sources.values(), ...reasonRows.map(([, n]) => n)];
  const hundredths = shares(counts);
  const percent = (i: number) => hundredths[i]! / 100;
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const attributedCount = sum([...sources.values()]);
  const bySource = [...sources].map(([source, count], i) => ({
    source,
    method: methodOfSource[source],
    count,
    share: percent(i),
  }));
  const byReason = reasonRows.map(([reason, count], i) => ({ reason, count, share: percent(sources.size + i) }));
  const attributedHundredths = sum(hundredths.slice(0, sources.size));
  const total = sum(counts);
  return {
    from: range.from,
    to: range.to,
    signups: total,
    attributed: { count: attributedCount, share: attributedHundredths / 100 },
    notAttributed: {
      count: total - attributedCount,
      share: total === 0 ? 0 : (10_000 - attributedHundredths) / 100,
    },
    bySource,
    byReason,
  };
}
