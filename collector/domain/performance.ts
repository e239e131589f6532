// Performance ratios of a partner's traffic, in integers only:
// - conversion rate: signups per unique click, in basis points (1 bp = 0.01 %; 1234 → "12.34 %");
// - EPC: earnings (commission, minor units) per 100 clicks, in minor units.
// Both are rounded half away from zero at the last unit (the 0.01 % or the cent), with BigInt so
// no product ever passes through a float; a ratio over zero clicks is null ("–"), never 0 or ∞.
import { toCsv } from './csv';
import { formatMinor } from './money';
import { otherKey, type Counters, type Dimension } from './stat-layout';

export interface Ratios {
  /** Signups ÷ unique clicks, basis points; null without unique clicks. May pass 10000 (signups of earlier clicks). */
  conversionBasisPoints: number | null;
  /** Commission ÷ clicks × 100, minor units per 100 clicks; null without clicks. */
  epc: number | null;
}

/** round(numerator ÷ denominator), half away from zero; denominator > 0. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}

export function ratiosOf(counters: Pick<Counters, 'clicks' | 'uniqueClicks' | 'signups' | 'commission'>): Ratios {
  return {
    conversionBasisPoints:
      counters.uniqueClicks > 0
        ? Number(divideRounded(BigInt(counters.signups) * 10_000n, BigInt(counters.uniqueClicks)))
        : null,
    epc:
      counters.clicks > 0 ? Number(divideRounded(BigInt(counters.commission) * 100n, BigInt(counters.clicks))) : null,
  };
}

/** Basis points as a percentage with two decimals ("12.34"); "" for null. */
export function formatBasisPoints(basisPoints: number | null): string {
  if (basisPoints === null) return '';
  const sign = basisPoints < 0 ? '-' : '';
  const magnitude = Math.abs(basisPoints);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}

/** What a performance view groups by: the stat buckets' dimensions (page: the landing page). */
export type PerformanceDimension = Dimension;

export type PerformanceRow = { key: string | null } & Counters & Ratios;

/** Rows with their ratios, plus a total row over all of them. */
export function performanceRows(rows: ReadonlyArray<{ key: string | null } & Counters>): {
  rows: PerformanceRow[];
  total: Counters & Ratios;
} {
  const total: Counters = { clicks: 0, uniqueClicks: 0, signups: 0, customers: 0, revenue: 0, commission: 0 };
  for (const row of rows) for (const name of Object.keys(total) as Array<keyof Counters>) total[name] += row[name];
  return {
    rows: rows.map((row) => ({ ...row, ...ratiosOf(row) })),
    total: { ...total, ...ratiosOf(total) },
  };
}

const keyColumn: Record<PerformanceDimension, string> = {
  banner: 'banner',
  data1: 'data1',
  data2: 'data2',
  page: 'landing_page',
  coupon: 'coupon',
};

/** How a row's key reads in a table or file: its value, "(none)" or "(other values)" past the cap. */
export const keyLabel = (key: string | null) => (key === null ? '(none)' : key === otherKey ? '(other values)' : key);

/**
 * RFC 4180 CSV of a performance view, money and rates as decimal text (conversion in percent with
 * two places, EPC per 100 clicks), the total last; spreadsheet-safe (keys are partners' own text).
 */
export function performanceCsv(view: {
  by: PerformanceDimension;
  currency: string;
  rows: ReadonlyArray<PerformanceRow>;
  total: Counters & Ratios;
}): string {
  const line = (label: string, row: Counters & Ratios) => [
    label,
    row.clicks,
    row.uniqueClicks,
    row.signups,
    row.customers,
    formatBasisPoints(row.conversionBasisPoints),
    formatMinor(row.revenue),
    formatMinor(row.commission),
    row.epc === null ? '' : formatMinor(row.epc),
    view.currency,
  ];
  return toCsv(
    [
      keyColumn[view.by],
      'clicks',
      'unique_clicks',
      'signups',
      'paying_customers',
      'conversion_rate_percent',
      'revenue',
      'earnings',
      'epc_per_100_clicks',
      'currency',
    ],
    [...view.rows.map((row) => line(keyLabel(row.key), row)), line('(total)', view.total)],
    { spreadsheetSafe: true },
  );
}
