// Login (partners and operators), password reset by emailed one-time token.
import { Router, type Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { z } from 'zod';
import type { Context } from '../context';
import {
  EMAIL_MAX_LENGTH,
  emailSchema,
  normalizeEmail,
  PASSWORD_MAX_LENGTH,
  passwordSchema,
  tokenSchema,
} from '../domain/account-fields';
import { failureSlowDown } from '../http/login-throttle';
import { limiter } from '../http/rate-limit';
import { logIn, requestPasswordReset, resetPassword } from '../services/partner-accounts';
import { partnerAnswer, sentAnswer } from '../http/answers';
import type { Operation } from '../http/openapi';

const loginBody = z.object({ email: z.string().max(EMAIL_MAX_LENGTH), password: z.string().max(PASSWORD_MAX_LENGTH) });
const resetBody = z.object({ email: emailSchema });
const resetConfirmBody = z.object({ token: tokenSchema, password: passwordSchema });

const minute = 60_000;

const bodyEmail = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normalizeEmail(email) : '';
};

export function authRoutes(context: Context): Router {
  const router = Router();
  const window = 15 * minute;
  // Failed attempts only. Hard limits per address (many accounts from one place) and per
  // account+address (one account from one place); per account only a growing delay, so nobody can
  // lock the owner out (http/login-throttle.ts).
  const perIp = limiter({
    what: 'failed logins from this address',
    windowMs: window,
    limit: 30,
    skipSuccessfulRequests: true,
  });
  const perAccountAndIp = limiter({
    what: 'failed logins for this account from this address',
    windowMs: window,
    limit: 10,
    skipSuccessfulRequests: true,
    // ipKeyGenerator folds an IPv6 address to its /56, so one host cannot rotate around the limit.
    keyGenerator: (req) => `account:${bodyEmail(req)}|${ipKeyGenerator(req.ip ?? '')}`,
  });
  const perAccount = failureSlowDown({
    windowMs: window,
    freeFailures: 5,
    stepMs: 200,
    maxDelayMs: 2_000,
    key: (req) => bodyEmail(req),
  });
  const resetLimit = limiter({ what: 'password reset requests', windowMs: 60 * minute, limit: 10 });

  router.post('/v1/auth/login', perIp, perAccountAndIp, perAccount, async (req, res) => {
    const { email, password } = loginBody.parse(req.body);
    res.json(await logIn(context, email, password));
  });

  router.post('/v1/auth/password-reset', resetLimit, async (req, res) => {
    const { email } = resetBody.parse(req.body);
    await requestPasswordReset(context, email);
    // The same answer whether or not the account exists.
    res.status(202).json({ status: 'sent', detail: 'If an account has this email, a reset link is on its way.' });
  });

  router.post('/v1/auth/password-reset/confirm', resetLimit, async (req, res) => {
    const { token, password } = resetConfirmBody.parse(req.body);
    await resetPassword(context, token, password);
    res.json({ status: 'reset' });
  });

  return router;
}

export const authDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Log in (partner or admin account): a session token.',
    auth: 'public',
    body: loginBody,
    responses: { '200': 'The token and the account.' },
    answer: z.union([
      z.strictObject({ token: z.string(), role: z.literal('partner'), partner: partnerAnswer }),
      z.strictObject({
        token: z.string(),
        role: z.literal('admin'),
        admin: z.strictObject({ adminId: z.string(), email: z.string() }),
      }),
    ]),
  },
  {
    method: 'post',
    path: '/v1/auth/password-reset',
    summary: 'Email a password reset link (same answer whether or not the account exists).',
    auth: 'public',
    body: resetBody,
    responses: { '202': 'Sent if the account exists.' },
    answer: sentAnswer,
  },
  {
    method: 'post',
    path: '/v1/auth/password-reset/confirm',
    summary: 'Set a new password with the emailed token.',
    auth: 'public',
    body: resetConfirmBody,
    responses: { '200': 'Reset.' },
    answer: z.strictObject({ status: z.literal('reset') }),
  },
];
