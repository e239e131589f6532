// Request limiters that answer problem+json 429, like every other error.
import { rateLimit, type Options } from 'express-rate-limit';
import { HttpProblem } from './problem';

const minute = 60_000;

/** A per-process limiter answering problem+json 429 (per process is enough: nothing correct depends on a limit). */
export function limiter(options: Partial<Options> & { what: string }) {
  const { what, ...rest } = options;
  return rateLimit({
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, used) => {
      next(
        new HttpProblem(429, `Too many ${what}. Try again in ${Math.ceil(used.windowMs / minute)} minutes.`, {
          slug: 'too-many-requests',
        }),
      );
    },
    ...rest,
  });
}
