// A partner's performance per banner, sub-ID, landing page or coupon over a period: the counters of
// the stat buckets (keyed reads, one per month) with the ratios of domain/performance.ts.
import type { DayRange } from '../domain/day-range';
import { performanceRows, type PerformanceDimension, type PerformanceRow, type Ratios } from '../domain/performance';
import type { Counters } from '../domain/stat-layout';
import type { ServiceDeps } from './deps';
import { periodOf } from './reports';

export interface PerformanceView {
  from: string;
  to: string;
  currency: string;
  by: PerformanceDimension;
  rows: PerformanceRow[];
  /** Over the rows: a visitor unique under two banners counts under each. */
  total: Counters & Ratios;
}

export async function partnerPerformance(
  { config, models }: ServiceDeps,
  partnerId: string,
  range: DayRange,
  by: PerformanceDimension,
): Promise<PerformanceView> {
  const period = await periodOf(models, partnerId, range);
  const rows = period.by[by].filter((row) => by !== 'coupon' || row.key !== null);
  return { from: range.from, to: range.to, currency: config.currency, by, ...performanceRows(rows) };
}
