// Partner accounts: sign-up with an emailed confirmation, login (partners and admins), password
// reset by emailed one-time token. Only hashes of passwords and tokens are stored.
import { issueToken, parseToken, tokenMatches } from '../auth/one-time-tokens';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords';
import { signToken } from '../auth/tokens';
import type { Config } from '../config';
import { formatRate } from '../domain/money';
import { generatePartnerId } from '../domain/partner-id';
import { normalizeEmail } from '../domain/account-fields';
import { DomainError } from '../domain/errors';
import type { PartnerDoc } from '../models/partner';
import type { ServiceDeps } from './deps';
import { adminByEmail, partnerByEmail, partnerEmailTaken } from './account-emails';
import { audit } from './audit';
import { claimOnce } from './claim-once';
import { isDuplicateKey } from './duplicates';
import { queueMail } from './mail-queue';
import { createPartner } from './partner-directory';
import { emitWebhookEvent, statusFact } from './webhook-events';

export const confirmTokenHours = 48;
export const resetTokenHours = 1;
const hour = 3_600_000;

export interface SignUp {
  email: string;
  password: string;
  name: string;
  payoutEmail?: string | undefined;
  website?: string | undefined;
}

type Partner = PartnerDoc & { _id: string };

export const partnerLink = (config: Config, partnerId: string) => `${config.siteUrl}/#a_aid=${partnerId}`;

/** What a partner (or an operator) sees of an account: never hashes or tokens. */
export function partnerProfile(config: Config, partner: Partner) {
  return {
    partnerId: partner._id,
    email: partner.email,
    name: partner.name,
    payoutEmail: partner.payoutEmail ?? null,
    website: partner.website ?? null,
    status: partner.status,
    commissionRate: formatRate(partner.commissionRate ?? config.commissionRate),
    rateOverride: partner.commissionRate !== undefined && partner.commissionRate !== null,
    link: partnerLink(config, partner._id),
    createdAt: (partner as { createdAt?: Date }).createdAt ?? null,
  };
}

export interface ProfileChanges {
  name?: string | undefined;
  /** null clears the field. */
  payoutEmail?: string | null | undefined;
  website?: string | null | undefined;
}

/** A partner's own profile edits; a new payout email is audited (where the money goes). */
export async function updateProfile(
  { models }: Pick<ServiceDeps, 'models'>,
  partnerId: string,
  changes: ProfileChanges,
): Promise<Partner> {
  const set: Record<string, string> = {};
  const unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) unset[field] = 1;
    else if (value !== undefined) set[field] = field === 'payoutEmail' ? normalizeEmail(value) : value;
  }
  const before = await models.Partner.findById(partnerId).lean();
  if (!before) throw new DomainError('unauthenticated', 'Invalid or expired token.', 'unauthorized');
  const update = {
    ...(Object.keys(set).length ? { $set: set } : {}),
    ...(Object.keys(unset).length ? { $unset: unset } : {}),
  };
  if (Object.keys(update).length) await models.Partner.updateOne({ _id: partnerId }, update);
  const after = (await models.Partner.findById(partnerId).lean())!;
  if ((before.payoutEmail ?? null) !== (after.payoutEmail ?? null)) {
    await audit(
      { models },
      {
        actor: `partner:${partnerId}`,
        action: 'partner.payout-email',
        subject: `partner:${partnerId}`,
        details: { from: before.payoutEmail ?? null, to: after.payoutEmail ?? null },
      },
    );
  }
  return after;
}

/**
 * Creates the account and queues the confirmation mail (services/mail-queue.ts sends it). A failure
 * to queue does not undo the account (the partner can ask for a new link): it is reported to
 * `onMailError` and as `emailSent: false`. The address is claimed by its key before the account is
 * stored (services/partner-directory.ts `createPartner`): of concurrent sign-ups, one wins.
 */
export async function signUp(
  deps: ServiceDeps,
  input: SignUp,
  onMailError: (error: unknown) => void,
): Promise<{ partnerId: string; status: 'pending'; emailSent: boolean }> {
  const { models } = deps;
  const email = normalizeEmail(input.email);
  if (await partnerByEmail(models, email)) throw partnerEmailTaken();
  const passwordHash = await hashPassword(input.password);
  // IDs are random (50 bits): one in use is found by key before its email is claimed under it.
  let partnerId = generatePartnerId();
  while (await models.Partner.exists({ _id: partnerId })) partnerId = generatePartnerId();
  const confirm = issueToken(partnerId);
  try {
    await createPartner(models, {
      _id: partnerId,
      email,
      name: input.name,
      passwordHash,
      payoutEmail: input.payoutEmail ? normalizeEmail(input.payoutEmail) : undefined,
      website: input.website,
      status: 'pending',
      confirmTokenHash: confirm.hash,
      confirmTokenExpiresAt: new Date(Date.now() + confirmTokenHours * hour),
    });
  } catch (error) {
    // The unique email index, when the ID is free: a partner from before the keys (whose move is
    // under way) has the address.
    if (isDuplicateKey(error) && !(await models.Partner.exists({ _id: partnerId }))) throw partnerEmailTaken();
    throw error;
  }
  await emitWebhookEvent(models, 'partner.created', partnerId, {
    partnerId,
    email,
    name: input.name,
    status: 'pending',
  });
  try {
    await queueConfirmation(deps, { _id: partnerId, email, name: input.name }, confirm);
    return { partnerId, status: 'pending', emailSent: true };
  } catch (error) {
    onMailError(error);
    return { partnerId, status: 'pending', emailSent: false };
  }
}

async function queueConfirmation(
  deps: ServiceDeps,
  partner: { _id: string; email: string; name: string },
  { token, hash }: { token: string; hash: string },
) {
  const { config } = deps;
  await queueMail(deps.models, {
    key: `confirm:${hash}`,
    to: partner.email,
    subject: 'Confirm your Ashop partner account',
    text: [
      `Hello ${partner.name},`,
      '',
      'welcome to the Ashop Partner Program. Confirm your email address to activate your account:',
      '',
      `${config.siteUrl}/partners/confirm?token=${encodeURIComponent(token)}`,
      '',
      `The link works once and expires in ${confirmTokenHours} hours.`,
      '',
      `Your partner ID: ${partner._id}`,
      `Your partner link: ${partnerLink(config, partner._id)}`,
      '',
      // The configured rate, as a percentage (ppm × 100 formats as percent: 250000 → "25").
      `You earn ${formatRate(config.commissionRate * 100)}% of every plan and app invoice of the customers you refer, for their lifetime.`,
    ].join('\n'),
  });
}

const invalidToken = () => new DomainError('invalid', 'This link is invalid or was already used.', 'invalid-token');
const expiredToken = () => new DomainError('invalid', 'This link has expired. Request a new one.', 'token-expired');

/** A token is used up by one insert under its hash: of concurrent uses, exactly one goes on. */
async function useToken(models: ServiceDeps['models'], tokenHash: string, use: string): Promise<void> {
  const taken = await claimOnce(models, `token:${tokenHash}`, use);
  if (!taken.won) throw invalidToken();
}

export async function confirmEmail(
  { config, models }: ServiceDeps,
  token: string,
): Promise<{ status: 'active' | 'pending_approval' }> {
  const parsed = parseToken(token);
  const partner = parsed && (await models.Partner.findById(parsed.accountId).lean());
  if (!parsed || !partner || partner.status !== 'pending' || !tokenMatches(parsed.secret, partner.confirmTokenHash))
    throw invalidToken();
  if (!partner.confirmTokenExpiresAt || partner.confirmTokenExpiresAt.getTime() < Date.now()) throw expiredToken();
  await useToken(models, partner.confirmTokenHash!, `confirm:${partner._id}`);
  // With manual approval a confirmed partner waits for an operator (services/partner-approval.ts).
  const status = config.partnerApproval === 'manual' ? 'pending_approval' : 'active';
  const changeId = `${partner._id}:confirmed`;
  // The event first, released once the change is stored (services/webhook-events.ts).
  await emitWebhookEvent(
    models,
    'partner.status_changed',
    changeId,
    { partnerId: partner._id, from: 'pending', to: status, reason: 'email confirmed' },
    { awaits: statusFact(partner._id, changeId) },
  );
  await models.Partner.updateOne(
    { _id: partner._id, status: 'pending' },
    { $set: { status }, $unset: { confirmTokenHash: 1, confirmTokenExpiresAt: 1 }, $push: { statusChanges: changeId } },
  );
  await audit(
    { models },
    {
      actor: `partner:${partner._id}`,
      action: 'partner.status',
      subject: `partner:${partner._id}`,
      reason: 'email confirmed',
      details: { from: 'pending', to: status },
    },
  );
  return { status };
}

/**
 * A new confirmation link for a pending account (the old one stops working). Silent otherwise,
 * and the same work either way (one lookup, one token, one keyed update), so neither the answer
 * nor its timing tells whether the address has a pending account; the mail itself is only queued.
 */
export async function resendConfirmation(deps: ServiceDeps, emailGiven: string): Promise<void> {
  const found = await partnerByEmail(deps.models, normalizeEmail(emailGiven));
  const partner = found?.status === 'pending' ? found : null;
  const confirm = issueToken(partner?._id ?? generatePartnerId());
  // By `_id` alone (a second key is a scan on the embedded engine): a partner confirmed meanwhile
  // gets a confirmation hash that nothing uses (confirming needs the status `pending`).
  await deps.models.Partner.updateOne(
    { _id: partner?._id ?? unknownAccountId },
    {
      $set: { confirmTokenHash: confirm.hash, confirmTokenExpiresAt: new Date(Date.now() + confirmTokenHours * hour) },
    },
  );
  if (partner) await queueConfirmation(deps, partner, confirm);
}

/** An `_id` no partner has (IDs are generated, never empty): the keyed update for unknown emails. */
const unknownAccountId = '';

export type LoginResult =
  | { token: string; role: 'partner'; partner: ReturnType<typeof partnerProfile> }
  | { token: string; role: 'admin'; admin: { adminId: string; email: string } };

/**
 * One login for partners and operators: the email is looked up among partners, then admins.
 * Both hashes are always checked (a decoy when absent), so timing does not reveal accounts.
 */
export async function logIn(
  { config, models }: ServiceDeps,
  emailGiven: string,
  password: string,
): Promise<LoginResult> {
  const email = normalizeEmail(emailGiven);
  const [partner, admin] = await Promise.all([partnerByEmail(models, email), adminByEmail(models, email)]);
  const [partnerOk, adminOk] = await Promise.all([
    verifyPassword(password, partner?.passwordHash ?? (await decoyHash)),
    verifyPassword(password, admin?.passwordHash ?? (await decoyHash)),
  ]);
  if (partner && partnerOk) {
    if (partner.status === 'disabled')
      throw new DomainError('forbidden', 'This partner account is disabled.', 'account-disabled');
    const token = signToken(config.jwtSecret, partner._id, 'partner', undefined, partner.tokenVersion ?? 0);
    return { token, role: 'partner', partner: partnerProfile(config, partner) };
  }
  if (admin && adminOk) {
    return {
      token: signToken(config.jwtSecret, admin._id, 'admin'),
      role: 'admin',
      admin: { adminId: admin._id, email: admin.email },
    };
  }
  throw new DomainError('unauthenticated', 'Wrong email or password.', 'invalid-credentials');
}

/**
 * Queues a reset link when a (not disabled) partner has this email; silent either way, with the
 * same work either way (one lookup, one token, one keyed update) and no SMTP on the request.
 */
export async function requestPasswordReset(deps: ServiceDeps, emailGiven: string): Promise<void> {
  const { config, models } = deps;
  const found = await partnerByEmail(models, normalizeEmail(emailGiven));
  const partner = found && found.status !== 'disabled' ? found : null;
  const reset = issueToken(partner?._id ?? generatePartnerId());
  // A new token replaces the stored hash: earlier reset links stop working.
  await models.Partner.updateOne(
    { _id: partner?._id ?? unknownAccountId },
    { $set: { resetTokenHash: reset.hash, resetTokenExpiresAt: new Date(Date.now() + resetTokenHours * hour) } },
  );
  if (!partner) return;
  await queueMail(models, {
    key: `reset:${reset.hash}`,
    to: partner.email,
    subject: 'Reset your Ashop partner password',
    text: [
      `Hello ${partner.name},`,
      '',
      'someone (hopefully you) asked to reset the password of your Ashop partner account. Choose a new one here:',
      '',
      `${config.siteUrl}/partners/reset?token=${encodeURIComponent(reset.token)}`,
      '',
      `The link works once and expires in ${resetTokenHours} hour. If you did not ask for it, ignore this email.`,
    ].join('\n'),
  });
}

/** Sets the new password, uses up the token and revokes every JWT issued before. */
export async function resetPassword({ models }: ServiceDeps, token: string, password: string): Promise<void> {
  const parsed = parseToken(token);
  const partner = parsed && (await models.Partner.findById(parsed.accountId).lean());
  if (!parsed || !partner || partner.status === 'disabled' || !tokenMatches(parsed.secret, partner.resetTokenHash))
    throw invalidToken();
  if (!partner.resetTokenExpiresAt || partner.resetTokenExpiresAt.getTime() < Date.now()) throw expiredToken();
  await useToken(models, partner.resetTokenHash!, `reset:${partner._id}`);
  const passwordHash = await hashPassword(password);
  await models.Partner.updateOne(
    { _id: partner._id },
    { $set: { passwordHash }, $unset: { resetTokenHash: 1, resetTokenExpiresAt: 1 }, $inc: { tokenVersion: 1 } },
  );
}
