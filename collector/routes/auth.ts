// Login (partners and operators), password reset by emailed one-time token.
import { Router, type Request } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { z } from 'zod';
import type { Context } from '../context';
import { HttpProblem } from '../http/problem';
import { logIn, normalizeEmail, requestPasswordReset, resetPassword } from '../services/partner-accounts';

export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(200);
const emailSchema = z.email().max(254);
const tokenSchema = z.string().min(1).max(300);

const minute = 60_000;

/** A per-process limiter answering problem+json 429 (limits per process are fine: DESIGN.md §9). */
export function limiter(options: Partial<Options> & { what: string }) {
  const { what, ...rest } = options;
  return rateLimit({
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, used) => {
      next(new HttpProblem(429, `Too many ${what}. Try again in ${Math.ceil(used.windowMs / minute)} minutes.`, { slug: 'too-many-requests' }));
    },
    ...rest,
  });
}

const bodyEmail = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normalizeEmail(email) : '';
};

export function authRoutes(context: Context): Router {
  const router = Router();
  const window = 15 * minute;
  // Failed attempts only: per address (many accounts from one place) and per account (one
  // account from many places).
  const perIp = limiter({ what: 'failed logins from this address', windowMs: window, limit: 30, skipSuccessfulRequests: true });
  const perAccount = limiter({
    what: 'failed logins for this account',
    windowMs: window,
    limit: 10,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => `account:${bodyEmail(req)}`,
  });
  const resetLimit = limiter({ what: 'password reset requests', windowMs: 60 * minute, limit: 10 });

  router.post('/v1/auth/login', perIp, perAccount, async (req, res) => {
    const { email, password } = z.object({ email: z.string().max(254), password: z.string().max(200) }).parse(req.body);
    res.json(await logIn(context, email, password));
  });

  router.post('/v1/auth/password-reset', resetLimit, async (req, res) => {
    const { email } = z.object({ email: emailSchema }).parse(req.body);
    await requestPasswordReset(context, email);
    // The same answer whether or not the account exists.
    res.status(202).json({ status: 'sent', detail: 'If an account has this email, a reset link is on its way.' });
  });

  router.post('/v1/auth/password-reset/confirm', resetLimit, async (req, res) => {
    const { token, password } = z.object({ token: tokenSchema, password: passwordSchema }).parse(req.body);
    await resetPassword(context, token, password);
    res.json({ status: 'reset' });
  });

  return router;
}

export { emailSchema, tokenSchema };
