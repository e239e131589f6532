// Display formatting. Amounts arrive as integer minor units; they are shown without float math.

export function money(minor: number, currency = 'USD'): string {
  const negative = minor < 0;
  const magnitude = Math.abs(minor);
  const whole = Math.floor(magnitude / 100).toLocaleString('en-US');
  const text = `${whole}.${String(magnitude % 100).padStart(2, '0')}`;
  const symbol = currency === 'USD' ? '$' : `${currency} `;
  return `${negative ? '−' : ''}${symbol}${text}`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "2026-11-24" for a date, in UTC (the program's day boundaries are UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function shortDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '–';
}

/** Basis points (integer hundredths of a percent) as "12.34 %"; "–" for none. */
export function percent(basisPoints: number | null): string {
  if (basisPoints === null) return '–';
  const magnitude = Math.abs(basisPoints);
  return `${basisPoints < 0 ? '−' : ''}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')} %`;
}
