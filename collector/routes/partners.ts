// Public partner sign-up and email confirmation.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { confirmEmail, resendConfirmation, signUp } from '../services/partner-accounts';
import { emailSchema, nameSchema, passwordSchema, tokenSchema, websiteSchema } from '../domain/account-fields';
import { limiter } from '../http/rate-limit';

export function partnerRoutes(context: Context): Router {
  const router = Router();
  const signupLimit = limiter({ what: 'sign-ups from this address', windowMs: 60 * 60_000, limit: 50 });

  router.post('/v1/partners', signupLimit, async (req, res) => {
    const input = z
      .object({
        email: emailSchema,
        password: passwordSchema,
        name: nameSchema,
        payoutEmail: emailSchema.optional(),
        website: websiteSchema.optional(),
      })
      .parse(req.body);
    const created = await signUp(context, input, (error) =>
      req.log.error({ err: error }, 'the confirmation email could not be sent'),
    );
    res.status(201).json(created);
  });

  router.post('/v1/partners/confirm', async (req, res) => {
    const { token } = z.object({ token: tokenSchema }).parse(req.body);
    res.json(await confirmEmail(context, token));
  });

  router.post('/v1/partners/confirm/resend', signupLimit, async (req, res) => {
    const { email } = z.object({ email: emailSchema }).parse(req.body);
    await resendConfirmation(context, email);
    res
      .status(202)
      .json({ status: 'sent', detail: 'If a pending account has this email, a new confirmation link is on its way.' });
  });

  return router;
}
