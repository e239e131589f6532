// Public partner sign-up and email confirmation.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { confirmEmail, resendConfirmation, signUp } from '../services/partner-accounts';
import { emailSchema, nameSchema, passwordSchema, tokenSchema, websiteSchema } from '../domain/account-fields';
import { limiter } from '../http/rate-limit';
import { sentAnswer } from '../http/answers';
import type { Operation } from '../http/openapi';

const signUpBody = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
  payoutEmail: emailSchema.optional(),
  website: websiteSchema.optional(),
});
const tokenBody = z.object({ token: tokenSchema });
const resendBody = z.object({ email: emailSchema });

export function partnerRoutes(context: Context): Router {
  const router = Router();
  const signupLimit = limiter({ what: 'sign-ups from this address', windowMs: 60 * 60_000, limit: 50 });

  router.post('/v1/partners', signupLimit, async (req, res) => {
    const input = signUpBody.parse(req.body);
    const created = await signUp(context, input, (error) =>
      req.log.error({ err: error }, 'the confirmation email could not be sent'),
    );
    res.status(201).json(created);
  });

  router.post('/v1/partners/confirm', async (req, res) => {
    const { token } = tokenBody.parse(req.body);
    res.json(await confirmEmail(context, token));
  });

  router.post('/v1/partners/confirm/resend', signupLimit, async (req, res) => {
    const { email } = resendBody.parse(req.body);
    await resendConfirmation(context, email);
    res
      .status(202)
      .json({ status: 'sent', detail: 'If a pending account has this email, a new confirmation link is on its way.' });
  });

  return router;
}

export const partnerDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/partners',
    summary: 'Partner sign-up; emails a confirmation link.',
    auth: 'public',
    body: signUpBody,
    responses: { '201': 'The pending partner.' },
    answer: z.strictObject({ partnerId: z.string(), status: z.literal('pending'), emailSent: z.boolean() }),
  },
  {
    method: 'post',
    path: '/v1/partners/confirm',
    summary: "Confirm a partner's email with the emailed token.",
    auth: 'public',
    body: tokenBody,
    responses: { '200': 'Confirmed.' },
    answer: z.strictObject({ status: z.enum(['active', 'pending_approval']) }),
  },
  {
    method: 'post',
    path: '/v1/partners/confirm/resend',
    summary: 'Send the confirmation link again.',
    auth: 'public',
    body: resendBody,
    responses: { '202': 'Sent if a pending account has this email.' },
    answer: sentAnswer,
  },
];
