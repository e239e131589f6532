// What the endpoints browsers call (/v1/clicks, /v1/signups) share: CORS for the allowed origins
// only, with credentials so the collector's Set-Cookie works through fetch; preflights; and
// text/plain bodies read as JSON (navigator.sendBeacon sends text/plain to avoid a preflight).
import express, { type RequestHandler, type Router } from 'express';
import type { Config } from '../config';
import { jsonBodyLimit } from './body-limit';
import { HttpProblem } from './problem';

/** Adds the preflight answer for `path` and returns the middlewares its POST route runs first. */
export function browserEndpoint(router: Router, path: string, config: Config): RequestHandler[] {
  const allowed = new Set(config.allowedOrigins);
  const cors: RequestHandler = (req, res, next) => {
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    if (!allowed.has(origin)) {
      throw new HttpProblem(403, `Origin ${origin} is not allowed (ASHOP_ALLOWED_ORIGINS).`, {
        slug: 'origin-not-allowed',
      });
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    next();
  };
  router.options(path, cors, (_req, res) => {
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });
  const text = express.text({ type: 'text/plain', limit: jsonBodyLimit });
  const textAsJson: RequestHandler = (req, _res, next) => {
    if (typeof req.body === 'string') {
      try {
        req.body = JSON.parse(req.body) as unknown;
      } catch {
        throw new HttpProblem(400, 'The body is not valid JSON.', { slug: 'malformed-json' });
      }
    }
    next();
  };
  return [cors, text, textAsJson];
}
