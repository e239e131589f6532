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
  /** Provenance: `s` when the collector sets it (attribution health tells its referrals apart). */
  p?: string;
}

/** `ashop_ref`'s value: encodeURIComponent(JSON.stringify({v:1, aid, bid, cid, vid, ts, p})). */
export function referralCookieValue(cookie: ReferralCookie): string {
  return encodeURIComponent(
    JSON.stringify({
      v: 1,
      aid: cookie.aid,
      bid: cookie.bid,
      cid: cookie.cid,
      vid: cookie.vid,
      ts: cookie.ts,
      p: cookie.p,
    }),
  );
}

/** One cookie's raw value from a request's `Cookie` header, or undefined. */
export function requestCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * What the collector's same-site answer to a browser click does with `ashop_ref`, given the
 * referral the request carried (the SDK writes its cookie before it reports the click):
 * - `keep` it when it holds another partner's live referral: the SDK kept that one (first
 *   attribution) and the click only joins the visitor's history; also when a click that does not
 *   count finds no cookie at all (nothing to remove);
 * - `set` the click's own record when the click counts (the cookie is missing, names this click or
 *   a dead partner's);
 * - `clear` it when the click does not count (a dead, unknown or disabled partner, a bot): the
 *   browser must not keep a dead referral. The caller puts the visitor's live referral from the
 *   history there, or an empty value, which the SDK does not restore from its storage copy (an
 *   expired cookie it would).
 */
export function referralCookieAction(
  held: { aid: string; cid: string; partnerLive: boolean } | undefined,
  click: { aid: string; cid: string; counted: boolean },
  cookieSent: boolean,
): 'keep' | 'set' | 'clear' {
  if (held && held.aid !== click.aid && held.cid !== click.cid && held.partnerLive) return 'keep';
  if (click.counted) return 'set';
  return cookieSent ? 'clear' : 'keep';
}
