// The tracker behind both bundles: the script tag (browser.ts) and createTracker (index.ts).
// Written for size (docs/CONTRACTS.md §3 budget: 1,600 bytes gzipped): state lives in closure variables,
// which the minifier renames, rather than in object properties.
import { guard } from './guard';
import { readLink, type Link } from './link';
import { decodeReferral, encode, uuid, type Referral } from './referral';

export interface TrackerOptions {
  /** Collector base URL, absolute or a path on this site (e.g. `/ashop`). Default: this site's origin. */
  endpoint?: string;
  /** e.g. `.ashop.example` to share the referral with `app.ashop.example`. Default: this host only. */
  cookieDomain?: string;
  /** Referral lifetime in whole days. Default 60. */
  cookieDays?: number | string;
  /** `first` (default): another partner's unexpired referral is kept; `last`: every click replaces it. */
  attribution?: 'first' | 'last';
  /** `required`: nothing is read, stored or sent until `consent(true)`. Default `granted`. */
  consent?: 'granted' | 'required';
  /** Remove the link parameters from the address bar. Default true. */
  stripParams?: boolean | string;
  /** CSS selector: matching forms get a hidden input `ashop_ref` carrying the referral. */
  forms?: string;
}

export interface SignupData {
  customerId: string;
  email?: string;
  /** hex HMAC-SHA256(ASHOP_SIGNUP_SECRET, customerId), made by the merchant's server. */
  signature: string;
}

/** The collector's answer: `{attributed: true, partnerId}` or `{attributed: false, reason}`. */
export interface SignupAnswer {
  attributed?: boolean;
  partnerId?: string;
  reason?: string;
  [field: string]: unknown;
}

export type SignupCallback = (error: Error | null, answer?: SignupAnswer) => void;

export interface Tracker {
  /** Sends the stored referral (or null) with the customer to `POST <endpoint>/v1/signups`. */
  signup(data: SignupData, callback?: SignupCallback): void;
  /** `true` stores and sends what this page holds; `false` deletes cookie and storage and stops. */
  consent(granted: boolean): void;
  /** Calls `fn` with the current referral (the SDK has loaded by the time this runs). */
  ready(fn: (referral: Referral | null) => void): void;
  /** The stored, unexpired referral, or null. */
  referral(): Referral | null;
}

/** The cookie and its localStorage copy; in sessionStorage, the address whose link this tab has
 * handled, so a reload is not a second click. */
const KEY = 'ashop_ref';
const DAY = 864e5;

/** `ashop_ref` in storage that may throw (private mode, cookies disabled: reads as empty). undefined reads, null removes. */
const io = guard((area: 'localStorage' | 'sessionStorage', value?: string | null): string | undefined => {
  const s = window[area] as unknown as Record<string, string>;
  return value ? (s[KEY] = value) : value === null ? void delete s[KEY] : s[KEY];
});

export function tracker(options: TrackerOptions, defaultEndpoint: string): Tracker {
  const doc = document;
  const loc = location;
  const href = loc.href;

  // The value when given and valid; an invalid one warns once and reads as unset (the default).
  const opt = (
    name: keyof TrackerOptions,
    valid: { test(value: string): unknown },
    value = options[name] as string | undefined,
  ) => (value == null || valid.test(value) ? value : console.warn('ashop', name));
  // Absolute http(s) or a path on this site, without a trailing slash.
  const endpoint = opt('endpoint', /^(https?:)?\/.*[^/]$/) ?? defaultEndpoint;
  const domain = opt('cookieDomain', { test: (v) => ('.' + loc.hostname).endsWith(v.replace(/^\.?/, '.')) });
  /** The referral's lifetime in ms. */
  const life = (+opt('cookieDays', /^[1-9]\d*$/)! || 60) * DAY;
  const last = opt('attribution', /^(first|last)$/) == 'last';
  let granted = opt('consent', /^(granted|required)$/) != 'required';
  const strip = opt('stripParams', /^(true|false)$/) + '' != 'false';
  // An invalid selector throws: guarded, that reads as invalid.
  const forms = opt('forms', { test: guard((v: string) => (doc.querySelector(v), 1)) });

  let link: Link | undefined;
  let current: Referral | null = null;

  // A record is written with the time it has left in whole seconds (a fresh click: exactly
  // days × 86400 s; `+0.5 | 0` rounds, shorter than Math.round); none deletes (any Max-Age ≤ 0 expires at once, RFC 6265; -1 also where 0 lingers for a millisecond).
  const setCookie = guard((r?: Referral | null, cookieDomain = domain) => {
    doc.cookie = `${KEY}=${r ? encode(r) : ''};Max-Age=${r ? ((r.ts + life - Date.now()) / 1e3 + 0.5) | 0 : -1};Path=/;SameSite=Lax${
      loc.protocol == 'https:' ? ';Secure' : ''
    }${cookieDomain ? ';Domain=' + cookieDomain : ''}`;
  });

  // The cookie is the truth and is only read here (it may be the collector's own, which Safari does
  // not cap); the localStorage copy restores it when it is gone, for the time it had left.
  const load = (): Referral | null => {
    if (!granted) return null;
    // The browser expires the cookie (Max-Age); the copy in storage has only its ts. Only a missing
    // cookie is restored: an empty one is the collector's word that the referral was dead.
    const raw = guard(() => doc.cookie.match(/(^|; )ashop_ref=([^;]*)/)?.[2])();
    let r = decodeReferral(raw);
    // Marked `p: 'r'` so the collector's attribution health can tell restored referrals apart.
    if (raw == null && (r = decodeReferral(io('localStorage'))))
      r.ts + life > Date.now() ? setCookie(((r.p = 'r'), r)) : (r = false);
    return r || null;
  };

  const inject = guard(() => {
    if (forms)
      // Empty without a referral. Setting the same type and name again changes nothing the
      // observer watches (childList).
      doc.querySelectorAll(forms).forEach((form) =>
        Object.assign(form.querySelector(`[name=${KEY}]`) || form.appendChild(doc.createElement('input')), {
          type: 'hidden',
          name: KEY,
          value: current ? encode(current) : '',
        }),
      );
  });

  const run = () => {
    current = load();
    const l = link;
    if (l && io('sessionStorage') != href) {
      io('sessionStorage', href);
      const r: Referral = {
        v: 1,
        aid: l.aid,
        bid: l.bid,
        cid: l.cid || uuid(),
        vid: current?.vid || uuid(),
        ts: Date.now(),
      };
      if (last || !current || current.aid == l.aid) {
        // Written now so the referral exists at once; a same-site collector answers the click with
        // its own Set-Cookie of the same record, which replaces this one.
        setCookie((current = r));
        io('localStorage', encode(r));
      }
      // Every click is reported with the kept visitor ID, also one the cookie does not keep (first
      // attribution) and a redirect's (`a_cid`: stored once, then linked to the visitor): the
      // collector's visitor history decides the signup. v and ts ride along, ignored.
      const url = endpoint + '/v1/clicks';
      const body = JSON.stringify({ ...l, ...r, url: href, referrer: doc.referrer });
      navigator.sendBeacon?.(url, body) || void fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {});
    }
    inject();
  };

  const api: Tracker = {
    signup: guard((data: SignupData, callback?: SignupCallback) => {
      // A text/plain JSON body, like the click: no CORS preflight. Before consent no referral is
      // read or sent (the collector answers attributed:false). One catch for network and non-JSON
      // answers; the callback runs once, outside it.
      void fetch(endpoint + '/v1/signups', { method: 'POST', body: JSON.stringify({ ...data, referral: load() }) })
        .then((res) => res.json().then((answer) => [res.ok ? null : Error(answer.detail), answer]))
        .catch((error) => [error])
        .then((result) => callback?.(...(result as [Error | null, SignupAnswer?])));
    }),
    consent: guard((yes: boolean) => {
      if ((granted = yes === true)) return run();
      current = null;
      setCookie();
      setCookie(null, '');
      io('localStorage', null);
      io('sessionStorage', null);
      inject();
    }),
    ready: guard((fn: (referral: Referral | null) => void) => fn(load())),
    // Never throws: each read and write in it is guarded.
    referral: load,
  };

  guard(() => {
    const address = loc.search + loc.hash;
    const [l, rest] = readLink(address);
    link = l;
    if (granted) run();
    if (forms) new MutationObserver(inject).observe(doc, { childList: true, subtree: true });
    if (strip && rest != address) history.replaceState(history.state, '', loc.pathname + rest);
  })();
  return api;
}
