// How a signup was attributed (the method, stored on the customer and answered), where the
// evidence came from (the source, for the attribution health report), and the report's shares.

/** `link`: the referral's own click; `redirect`: that click came through `/r/:aid`; `coupon`: a
 * partner's code; `history`: another click of the same visitor, from the server's history. */
export const attributionMethods = ['link', 'redirect', 'coupon', 'history'] as const;
export type AttributionMethod = (typeof attributionMethods)[number];

/**
 * Where the deciding evidence came from: the cookie the SDK wrote (`sdk`), its storage copy
 * restored after the cookie was lost (`restored`), the collector's own Set-Cookie (`server`), a
 * redirect link, a coupon code, or the visitor's history.
 */
export const attributionSources = ['sdk', 'restored', 'server', 'redirect', 'coupon', 'history'] as const;
export type AttributionSource = (typeof attributionSources)[number];

/** The referral's provenance mark `p`: `s` set by the collector, `r` restored by the SDK; none: the SDK's. */
export function sourceOf(method: AttributionMethod, provenance: string | null | undefined): AttributionSource {
  if (method !== 'link') return method;
  return provenance === 's' ? 'server' : provenance === 'r' ? 'restored' : 'sdk';
}

/**
 * Percent shares of `counts` in hundredths of a percent that add up to exactly 10,000 when any
 * count is positive (largest remainder: each share is rounded down, and the hundredths left over go
 * to the largest remainders, ties to the earlier item).
 */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((count) => (count * 10_000) / total);
  const floors = exact.map(Math.floor);
  let left = 10_000 - floors.reduce((sum, value) => sum + value, 0);
  const order = exact.map((value, i) => [value - floors[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}
