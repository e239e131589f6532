// A partner's own settings beyond the profile fields (services/partner-accounts.ts): password
// change, login email change confirmed from the new address, and which emails they want.
import { issueToken, parseToken, tokenMatches } from '../auth/one-time-tokens';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { signToken } from '../auth/tokens';
import { normalizeEmail } from '../domain/account-fields';
import { DomainError } from '../domain/errors';
import { claimEmail, partnerByEmail, releaseEmail } from './account-emails';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { isDuplicateKey } from './duplicates';
import { queueMail } from './mail-queue';
import { claimOnce } from './claim-once';

export const notificationKinds = ['newSignup', 'firstInvoice', 'payoutSent', 'statusChange'] as const;
export type NotificationKind = (typeof notificationKinds)[number];
export type NotificationPrefs = Record<NotificationKind, boolean>;

export const emailChangeTokenHours = 48;
const hour = 3_600_000;

export interface Settings {
  email: string;
  name: string;
  payoutEmail: string | null;
  website: string | null;
  /** A requested new login email, until confirmed from that address. */
  pendingEmail: { email: string; expiresAt: Date } | null;
  notifications: NotificationPrefs;
  /** The program's payout terms, to explain the balance. */
  program: { minPayout: number; holdDays: number; currency: string };
}

const sessionEnded = () => new DomainError('unauthenticated', 'Invalid or expired token.', 'unauthorized');
// A 400, not a 401: the portal logs out on 401, and a typo in a form must not end the session.
const wrongPassword = (field: string) =>
  new DomainError('invalid', 'The current password is not right.', 'wrong-password', {
    fields: [{ field, message: 'is not your current password' }],
  });

async function partnerOf({ models }: Pick<ServiceDeps, 'models'>, partnerId: string) {
  const partner = await models.Partner.findById(partnerId).lean();
  if (!partner || partner.status === 'disabled') throw sessionEnded();
  return partner;
}

export async function settingsOf(deps: ServiceDeps, partnerId: string): Promise<Settings> {
  const partner = await partnerOf(deps, partnerId);
  const stored = (partner.notifications ?? {}) as Partial<NotificationPrefs>;
  return {
    email: partner.email,
    name: partner.name,
    payoutEmail: partner.payoutEmail ?? null,
    website: partner.website ?? null,
    pendingEmail:
      partner.emailChangeTo && partner.emailChangeExpiresAt && partner.emailChangeExpiresAt.getTime() > Date.now()
        ? { email: partner.emailChangeTo, expiresAt: partner.emailChangeExpiresAt }
        : null,
    notifications: Object.fromEntries(
      notificationKinds.map((kind) => [kind, stored[kind] !== false]),
    ) as NotificationPrefs,
    program: { minPayout: deps.config.minPayout, holdDays: deps.config.holdDays, currency: deps.config.currency },
  };
}

export async function updateNotifications(
  deps: ServiceDeps,
  partnerId: string,
  changes: Partial<NotificationPrefs>,
): Promise<NotificationPrefs> {
  await partnerOf(deps, partnerId);
  const set = Object.fromEntries(
    Object.entries(changes)
      .filter(([, value]) => typeof value === 'boolean')
      .map(([kind, value]) => [`notifications.${kind}`, value]),
  );
  if (Object.keys(set).length) await deps.models.Partner.updateOne({ _id: partnerId }, { $set: set });
  return (await settingsOf(deps, partnerId)).notifications;
}

/**
 * Checks the current password, stores the new one and bumps the token version, which ends every
 * other session; the caller's session goes on with the new token returned.
 */
export async function changePassword(
  { config, models }: ServiceDeps,
  partnerId: string,
  currentPassword: string,
  newPassword: string,
): Promise<{ token: string }> {
  const partner = await partnerOf({ models }, partnerId);
  if (!(await verifyPassword(currentPassword, partner.passwordHash))) throw wrongPassword('currentPassword');
  const passwordHash = await hashPassword(newPassword);
  const result = await models.Partner.updateOne(
    { _id: partnerId, passwordHash: partner.passwordHash },
    { $set: { passwordHash }, $inc: { tokenVersion: 1 } },
  );
  if (result.modifiedCount !== 1)
    throw new DomainError('conflict', 'The password was changed meanwhile. Log in again.', 'password-changed');
  const after = await models.Partner.findById(partnerId, { tokenVersion: 1 }).lean();
  await audit(
    { models },
    { actor: `partner:${partnerId}`, action: 'partner.password', subject: `partner:${partnerId}` },
  );
  return { token: signToken(config.jwtSecret, partnerId, 'partner', undefined, after?.tokenVersion ?? 0) };
}

const emailTaken = () =>
  new DomainError('conflict', 'Another account already uses this email.', 'email-taken', {
    fields: [{ field: 'email', message: 'is used by another account' }],
  });

async function mailEmailChange(
  deps: ServiceDeps,
  name: string,
  to: string,
  { token, hash }: { token: string; hash: string },
): Promise<void> {
  await queueMail(deps.models, {
    key: `email-change:${hash}`,
    to,
    subject: 'Confirm your new Ashop partner login email',
    text: [
      `Hello ${name},`,
      '',
      'you asked to log in to your Ashop partner account with this email address from now on. Confirm it here:',
      '',
      `${deps.config.siteUrl}/partners/confirm-email?token=${encodeURIComponent(token)}`,
      '',
      `The link works once and expires in ${emailChangeTokenHours} hours. Until then you log in with your current email. If you did not ask for this, ignore this email.`,
    ].join('\n'),
  });
}

/** Asks for a new login email (with the current password); the link goes to the new address. */
export async function requestEmailChange(
  deps: ServiceDeps,
  partnerId: string,
  newEmail: string,
  password: string,
): Promise<Settings['pendingEmail']> {
  const { models } = deps;
  const partner = await partnerOf(deps, partnerId);
  if (!(await verifyPassword(password, partner.passwordHash))) throw wrongPassword('password');
  const email = normalizeEmail(newEmail);
  if (email === partner.email)
    throw new DomainError('invalid', 'This is already your login email.', 'same-email', {
      fields: [{ field: 'email', message: 'is already your login email' }],
    });
  if (await partnerByEmail(models, email)) throw emailTaken();
  return issueEmailChange(deps, partner, email);
}

async function issueEmailChange(
  deps: ServiceDeps,
  partner: { _id: string; name: string },
  email: string,
): Promise<Settings['pendingEmail']> {
  const change = issueToken(partner._id);
  const expiresAt = new Date(Date.now() + emailChangeTokenHours * hour);
  // A new request replaces the stored hash: earlier links stop working.
  await deps.models.Partner.updateOne(
    { _id: partner._id },
    { $set: { emailChangeTo: email, emailChangeTokenHash: change.hash, emailChangeExpiresAt: expiresAt } },
  );
  await audit(deps, {
    actor: `partner:${partner._id}`,
    action: 'partner.email-change-requested',
    subject: `partner:${partner._id}`,
    details: { to: email },
  });
  await mailEmailChange(deps, partner.name, email, change);
  return { email, expiresAt };
}

/** A new link for the pending email change (the old one stops working). */
export async function resendEmailChange(deps: ServiceDeps, partnerId: string): Promise<Settings['pendingEmail']> {
  const partner = await partnerOf(deps, partnerId);
  if (!partner.emailChangeTo)
    throw new DomainError('conflict', 'There is no email change waiting for confirmation.', 'no-email-change');
  return issueEmailChange(deps, partner, partner.emailChangeTo);
}

const invalidLink = () => new DomainError('invalid', 'This link is invalid or was already used.', 'invalid-token');

/**
 * Applies the change from the emailed link. The token is used up by inserting its key: of two
 * clicks at once, only one changes the email. The new address is claimed by its key first (of a
 * change and a sign-up at once, one gets it), then stored, then the old address's key is released;
 * a crash in between leaves an old key whose owner no longer holds it, which counts as free
 * (domain/account-emails.ts `keyIsFree`). The old address is told.
 */
export async function confirmEmailChange(deps: ServiceDeps, token: string): Promise<{ email: string }> {
  const { models } = deps;
  const parsed = parseToken(token);
  const partner = parsed && (await models.Partner.findById(parsed.accountId).lean());
  if (
    !parsed ||
    !partner ||
    partner.status === 'disabled' ||
    !partner.emailChangeTo ||
    !tokenMatches(parsed.secret, partner.emailChangeTokenHash)
  )
    throw invalidLink();
  if (!partner.emailChangeExpiresAt || partner.emailChangeExpiresAt.getTime() < Date.now())
    throw new DomainError('invalid', 'This link has expired. Ask for a new one in your settings.', 'token-expired');
  if (!(await claimOnce(models, `email-change:${partner.emailChangeTokenHash}`, `partner:${partner._id}`)).won)
    throw invalidLink();
  const from = partner.email;
  const to = partner.emailChangeTo;
  if ((await claimEmail(models, 'partner', to, partner._id)) === 'taken') throw emailTaken();
  try {
    await models.Partner.updateOne(
      { _id: partner._id },
      { $set: { email: to }, $unset: { emailChangeTo: 1, emailChangeTokenHash: 1, emailChangeExpiresAt: 1 } },
    );
  } catch (error) {
    if (isDuplicateKey(error)) throw emailTaken();
    throw error;
  }
  await releaseEmail(models, 'partner', from, partner._id);
  await audit(deps, {
    actor: `partner:${partner._id}`,
    action: 'partner.email',
    subject: `partner:${partner._id}`,
    details: { from, to },
  });
  await queueMail(models, {
    key: `email-changed:${partner.emailChangeTokenHash}`,
    to: from,
    subject: 'Your Ashop partner login email was changed',
    text: [
      `Hello ${partner.name},`,
      '',
      `your Ashop partner account now logs in with ${to} instead of this address.`,
      'If you did not do this, reply to this email at once.',
    ].join('\n'),
  });
  return { email: to };
}
