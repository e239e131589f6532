// Pure rules for the tracking endpoints' HTTP surface: redirect targets (no open redirect) and
// when the collector may set the `ashop_ref` cookie itself (same-site requests, docs/CONTRACTS.md §2).

/**
 * The absolute URL `/r/:aid` may send a visitor to: a path on the site, or a URL whose origin is
 * the site's or an allowed one. Anything else is refused (undefined).
 */
export function redirectTarget(
  to: string | undefined,
  siteUrl: string,
  allowedOrigins: readonly string[],
): URL | undefined {
  if (to === undefined || to === '') return new URL('/', siteUrl);
  // Backslashes and control characters: browsers "fix" them into other hosts (`/\evil`).
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\\\x00-\x20\x7f]/.test(to)) return undefined;
  if (to.startsWith('/')) {
    if (to.startsWith('//')) return undefined;
    const url = new URL(to, siteUrl);
    return url.origin === new URL(siteUrl).origin ? url : undefined;
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  const origins = new Set([new URL(siteUrl).origin, ...allowedOrigins]);
  return origins.has(url.origin) ? url : undefined;
}

/** Adds the partner parameters to the URL's hash, keeping a hash already there (`#section&a_aid=…`). */
export function withReferralHash(url: URL, params: Record<string, string | undefined>): string {
  const pairs = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  const existing = url.hash.replace(/^#/, '');
  const result = new URL(url.href);
  result.hash = [existing, ...pairs].filter(Boolean).join('&');
  return result.href;
}

/**
 * The registrable domain ("site") of a host, close enough without the public suffix list:
 * the last two labels, three under two-letter country codes with a short second level
 * (`shop.co.uk` → `shop.co.uk`). IP addresses and single labels are their own site.
 */
export function siteOf(host: string): string {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(name) || name.includes(':') || !name.includes('.')) return name;
  const labels = name.split('.');
  const take = labels.length >= 3 && labels.at(-1)!.length === 2 && labels.at(-2)!.length <= 3 ? 3 : 2;
  return labels.slice(-take).join('.');
}

/**
 * Where the collector may set `ashop_ref` for a request that reached it on `requestHost`:
 * host-only when it is the site's own host (the site's reverse proxy), the shared parent domain
 * when it is a sibling host of the same site, nowhere (undefined) when it is another site.
 */
export function referralCookieScope(requestHost: string, siteUrl: string): { domain: string | undefined } | undefined {
  const siteHost = new URL(siteUrl).hostname.toLowerCase();
  const host = requestHost.toLowerCase();
  if (host === siteHost) return { domain: undefined };
  const site = siteOf(siteHost);
  return siteOf(host) === site && site.includes('.') ? { domain: site } : undefined;
}

export interface ReferralCookie {
  v: 1;
  aid: string;
  bid?: string;
  cid: string;
  vid?: string;
  ts: number;
}

/** `ashop_ref`'s value: encodeURIComponent(JSON.stringify({v:1, aid, bid, cid, vid, ts})). */
export function referralCookieValue(cookie: ReferralCookie): string {
  return encodeURIComponent(
    JSON.stringify({ v: 1, aid: cookie.aid, bid: cookie.bid, cid: cookie.cid, vid: cookie.vid, ts: cookie.ts }),
  );
}
