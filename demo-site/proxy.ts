// `/ashop/` → the collector (docs/CONTRACTS.md §2): first-party tracking. The visitor's address travels in
// X-Forwarded-For (the collector trusts loopback proxies), the Host stays the site's own so the
// collector sees a same-site request, and its Set-Cookie passes through untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { problemBody } from '../collector/http/problem';
import type { Logger } from '../collector/logger';
import { isProxiedPath } from './safety';

/** The site is the edge: a visitor's own X-Forwarded-* headers would let them pick their address. */
const forwardedHeaders = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded'];

export function collectorProxy(collectorUrl: string, logger: Logger) {
  const proxy = createProxyMiddleware({
    target: collectorUrl,
    xfwd: true,
    changeOrigin: false,
    proxyTimeout: 15_000,
    on: {
      error: (error, _req, res) => {
        logger.warn({ err: error }, 'collector unreachable through /ashop/');
        // For plain HTTP requests `res` is the response (a socket only for upgrades, which we do not use).
        const response = res as ServerResponse | Socket;
        if (!('writeHead' in response) || response.headersSent) return void response.end();
        response.writeHead(502, { 'Content-Type': 'application/problem+json' });
        response.end(
          JSON.stringify(problemBody(502, 'The partner service is not reachable right now.', 'collector-unreachable')),
        );
      },
    },
  });
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    // Mounted at /ashop: req.url is the collector path. Others fall through to the site's 404.
    if (!isProxiedPath(new URL(req.url ?? '/', 'http://site').pathname)) return next();
    for (const header of forwardedHeaders) delete req.headers[header];
    return proxy(req, res, next);
  };
}
