// Exact money arithmetic: amounts are integer minor units, rates are integer parts per million.
// No floating point touches an amount.

/** A rate from 0 to 1, in parts per million (0.25 → 250000). */
export type Rate = number;
export const RATE_SCALE = 1_000_000;

/** Parses "0.25", "1", "0.125" (at most 6 decimals, 0 to 1) without floating point. */
export function parseRate(text: string): Rate | undefined {
  const match = /^(0|1)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  const ppm = whole * RATE_SCALE + fraction;
  return ppm <= RATE_SCALE ? ppm : undefined;
}

/** Formats a rate back to its decimal text ("0.25"). */
export function formatRate(rate: Rate): string {
  const whole = Math.floor(rate / RATE_SCALE);
  const fraction = String(rate % RATE_SCALE)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** round half up(amount × rate), exact (BigInt: amount × ppm can pass 2^53). */
export function applyRate(amount: number, rate: Rate): number {
  const product = BigInt(amount) * BigInt(rate);
  const scale = BigInt(RATE_SCALE);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude * 2n + scale) / (scale * 2n);
  return Number(negative ? -rounded : rounded);
}

/** Minor units to a decimal string with two places ("12345" → "123.45"), as PayPal wants it. */
export function formatMinor(amount: number): string {
  const negative = amount < 0;
  const magnitude = Math.abs(amount);
  const text = `${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}
