// The logged-in partner's settings (password, login email, notifications), and the public
// confirmation of a new login email from the emailed link.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { emailSchema, passwordSchema, tokenSchema } from '../domain/account-fields';
import { requirePartner } from '../http/auth';
import { limiter } from '../http/rate-limit';
import {
  changePassword,
  confirmEmailChange,
  notificationKinds,
  requestEmailChange,
  resendEmailChange,
  settingsOf,
  updateNotifications,
} from '../services/partner-settings';
import { partnerAnswer, time } from '../http/answers';
import type { Operation } from '../http/openapi';

const notificationsBody = z.strictObject(
  Object.fromEntries(notificationKinds.map((kind) => [kind, z.boolean().optional()])),
);
const passwordBody = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: passwordSchema,
});
const emailChangeBody = z.strictObject({ email: emailSchema, password: z.string().min(1, 'is required').max(200) });
const tokenBody = z.object({ token: tokenSchema });
const unsubscribeQuery = z.object({ token: z.string().min(1, 'is required').max(300) });
import { unsubscribe, unsubscribeState } from '../services/partner-notifications';

const minute = 60_000;

/** services/partner-settings.ts Settings, as sent. */
const notificationsAnswer = z.strictObject(
  Object.fromEntries(notificationKinds.map((kind) => [kind, z.boolean()])) as Record<
    (typeof notificationKinds)[number],
    z.ZodBoolean
  >,
);
const pendingEmailAnswer = z.strictObject({ email: z.string(), expiresAt: time });
const settingsAnswer = partnerAnswer.pick({ email: true, name: true, payoutEmail: true, website: true }).extend({
  pendingEmail: pendingEmailAnswer.nullable(),
  notifications: notificationsAnswer,
  program: z.strictObject({ minPayout: z.number().int(), holdDays: z.number().int(), currency: z.string() }),
});
/** A change of login email waits for the link sent to the new address. */
const emailChangeAnswer = z.strictObject({ pendingEmail: pendingEmailAnswer });

export function settingsRoutes(context: Context): Router {
  const router = Router();
  const partner = requirePartner(context);
  const partnerId = (caller: unknown) => (caller as { partnerId: string }).partnerId;
  // Guessing the current password from a stolen session: few tries per account.
  const passwordChecks = limiter({
    what: 'password attempts for this account',
    windowMs: 15 * minute,
    limit: 10,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => `settings:${partnerId(req.caller)}`,
  });
  const mailLimit = limiter({ what: 'emails to a new address', windowMs: 60 * minute, limit: 10 });

  // GET only tells what the link would turn off: mail scanners open links, and must not
  // unsubscribe anyone. POST turns it off: the site's unsubscribe page after the partner confirms,
  // or a mail client's one-click button (RFC 8058, `List-Unsubscribe-Post`; its form body is ignored).
  router.get('/v1/partners/unsubscribe', async (req, res) => {
    const { token } = unsubscribeQuery.parse(req.query);
    res.json(await unsubscribeState(context, token));
  });
  router.post('/v1/partners/unsubscribe', async (req, res) => {
    const { token } = unsubscribeQuery.parse(req.query);
    res.json({ unsubscribed: await unsubscribe(context, token) });
  });

  router.get('/v1/me/settings', partner, async (req, res) => {
    res.json(await settingsOf(context, partnerId(req.caller)));
  });

  router.patch('/v1/me/notifications', partner, async (req, res) => {
    const changes = notificationsBody.parse(req.body);
    res.json(await updateNotifications(context, partnerId(req.caller), changes));
  });

  router.post('/v1/me/password', partner, passwordChecks, async (req, res) => {
    const { currentPassword, newPassword } = passwordBody.parse(req.body);
    res.json(await changePassword(context, partnerId(req.caller), currentPassword, newPassword));
  });

  router.post('/v1/me/email-change', partner, passwordChecks, mailLimit, async (req, res) => {
    const { email, password } = emailChangeBody.parse(req.body);
    res.status(202).json({ pendingEmail: await requestEmailChange(context, partnerId(req.caller), email, password) });
  });

  router.post('/v1/me/email-change/resend', partner, mailLimit, async (req, res) => {
    res.status(202).json({ pendingEmail: await resendEmailChange(context, partnerId(req.caller)) });
  });

  router.post('/v1/partners/email-change/confirm', async (req, res) => {
    const { token } = tokenBody.parse(req.body);
    res.json(await confirmEmailChange(context, token));
  });

  return router;
}

export const settingsDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/me/settings',
    summary: "The partner's settings (email, notifications).",
    auth: 'partner',
    responses: { '200': 'Settings.' },
    answer: settingsAnswer,
  },
  {
    method: 'patch',
    path: '/v1/me/notifications',
    summary: 'Turn notification emails on or off.',
    auth: 'partner',
    body: notificationsBody,
    responses: { '200': 'The notification settings.' },
    answer: notificationsAnswer,
  },
  {
    method: 'post',
    path: '/v1/me/password',
    summary: 'Change the password (needs the current one).',
    auth: 'partner',
    body: passwordBody,
    responses: { '200': 'Changed: a new session token (every other session ended).' },
    answer: z.strictObject({ token: z.string() }),
  },
  {
    method: 'post',
    path: '/v1/me/email-change',
    summary: 'Change the login email: a confirmation link goes to the new address.',
    auth: 'partner',
    body: emailChangeBody,
    responses: { '202': 'The pending email.' },
    answer: emailChangeAnswer,
  },
  {
    method: 'post',
    path: '/v1/me/email-change/resend',
    summary: 'Send the email-change link again.',
    auth: 'partner',
    responses: { '202': 'The pending email.' },
    answer: emailChangeAnswer,
  },
  {
    method: 'post',
    path: '/v1/partners/email-change/confirm',
    summary: 'Confirm a new login email with the emailed token.',
    auth: 'public',
    body: tokenBody,
    responses: { '200': 'Confirmed: the new login email.' },
    answer: z.strictObject({ email: z.string() }),
  },
  {
    method: 'get',
    path: '/v1/partners/unsubscribe',
    summary: 'What the signed link in a notification email turns off; changes nothing (scanners open links).',
    auth: 'public',
    query: unsubscribeQuery,
    responses: { '200': '`{kind, subscribed}`: the notification kind and whether it is on.' },
    answer: z.strictObject({ kind: z.enum(notificationKinds), subscribed: z.boolean() }),
  },
  {
    method: 'post',
    path: '/v1/partners/unsubscribe',
    summary: 'Turn off one kind of notification email (the site page after confirming, or one-click RFC 8058).',
    auth: 'public',
    query: unsubscribeQuery,
    responses: { '200': '`{unsubscribed}`: the kind turned off.' },
    answer: z.strictObject({ unsubscribed: z.enum(notificationKinds) }),
  },
];
