// `Idempotency-Key` on POST requests (the operator's create endpoints): a retry with the same key
// and the same request gets the first answer again (`Idempotent-Replayed: true`), never a second
// effect. Keys are per caller; the first request's answer is stored before it is sent.
import type { RequestHandler, Response } from 'express';
import type { Context } from '../context';
import { fingerprint } from '../services/fingerprint';
import { claimIdempotencyKey, releaseIdempotencyKey, storeIdempotentAnswer } from '../services/idempotency';
import { actorOf } from './auth';
import { HttpProblem } from './problem';

const keyPattern = /^[\x21-\x7e]{1,255}$/;

export const idempotencyKeys =
  (context: Context): RequestHandler =>
  async (req, res, next) => {
    const key = req.get('Idempotency-Key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!keyPattern.test(key)) {
      throw new HttpProblem(400, 'Idempotency-Key must be 1-255 printable characters without spaces.', {
        slug: 'invalid-idempotency-key',
      });
    }
    const id = `${actorOf(req.caller)}:${key}`;
    const print = fingerprint({ method: req.method, path: req.originalUrl, body: (req.body as unknown) ?? null });
    const claim = await claimIdempotencyKey(context, id, print);
    if (!claim.run) {
      const { status, contentType, body } = claim.answer;
      res.status(status).setHeader('Idempotent-Replayed', 'true');
      if (contentType) res.setHeader('Content-Type', contentType);
      res.end(body);
      return;
    }
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      res.end = end as Response['end'];
      const chunk = args[0];
      const body = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      const contentType = res.getHeader('Content-Type');
      const settled =
        res.statusCode >= 500
          ? releaseIdempotencyKey(context, id)
          : storeIdempotentAnswer(context, id, {
              status: res.statusCode,
              contentType: typeof contentType === 'string' ? contentType : undefined,
              body,
            });
      settled
        .catch((error: unknown) => req.log.error({ err: error }, 'idempotency key answer not stored'))
        .finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };
