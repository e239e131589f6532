// The demo's guards for things that must stay on the operator's own machine or inside the page:
// which collector paths the site forwards, who may read the dev mailbox, and the Content-Security-
// Policy of the pages that hold a login token.

/**
 * Collector paths the site's /ashop/ proxy forwards: the SDK and tracking calls, and the partner
 * and operator API the portal and console call. Everything else (metrics, health, the server-to-
 * server revenue and refund endpoints) stays on the collector's own port.
 */
export const proxiedPaths: readonly RegExp[] = [
  /^\/sdk\//,
  /^\/r\/[^/]+$/,
  /^\/v1\/(clicks|signups)$/,
  /^\/v1\/(partners|auth|me|banners|admin)(\/|$)/,
];

export const isProxiedPath = (path: string) => proxiedPaths.some((pattern) => pattern.test(path));

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how Node reports IPv4 peers on dual-stack sockets). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Pages that keep a JWT in sessionStorage run only the site's own bundled scripts: an injected
 * inline script or a foreign script URL is refused, so it cannot read the token. Images may come
 * from https (banner artwork an operator links to).
 */
export const appPagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
