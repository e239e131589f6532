// Login email keys (domain/account-emails.ts, collection `account_emails`): an address is claimed by
// a unique insert under its key before its account is stored (sign-up, email change, operator
// creation), so of concurrent claimants exactly one goes on; lookups read the key and the account by
// `_id` (the embedded engine scans the whole collection for any other filter). The unique index on
// the accounts' `email` stays as a backstop. A key is never deleted: a delete by `_id` racing a
// takeover could remove the new holder's key; a key is replaced by the one winner of its takeover.
import { randomBytes } from 'node:crypto';
import {
  claimGraceMs,
  emailKey,
  emailKeysMove,
  keyIsFree,
  moveMarkers,
  type AccountKind,
  type OwnerState,
} from '../domain/account-emails';
import { DomainError } from '../domain/errors';
import type { Models } from '../models';
import type { AccountEmailDoc } from '../models/account-email';
import type { AdminUserDoc } from '../models/admin-user';
import type { PartnerDoc } from '../models/partner';
import { claimOnce, findClaim } from './claim-once';
import { isDuplicateKey } from './duplicates';

type Deps = Pick<Models, 'AccountEmail' | 'OnceClaim' | 'Partner' | 'AdminUser'>;
type Key = AccountEmailDoc & { _id: string };
type NextKey = { ownerId: string | null; at: Date; nonce: string };

export type Partner = PartnerDoc & { _id: string };
export type Admin = AdminUserDoc & { _id: string };

/**
 * `claimed`: this call took the address; `owned`: the owner held it already (a retry, or a move done
 * again); `taken`: another account holds it or is being created with it.
 */
export type ClaimResult = 'claimed' | 'owned' | 'taken';

/** A sign-up's address held by another partner (or by a sign-up under way). */
export const partnerEmailTaken = () =>
  new DomainError(
    'conflict',
    'An account with this email already exists. Log in, or reset the password.',
    'email-taken',
  );

const nextKey = (ownerId: string | null): NextKey => ({
  ownerId,
  at: new Date(),
  nonce: randomBytes(8).toString('hex'),
});

async function ownerOf(models: Deps, kind: AccountKind, ownerId: string): Promise<OwnerState | null> {
  return kind === 'partner'
    ? await models.Partner.findById(ownerId, { email: 1, emailChangeTo: 1, emailChangeExpiresAt: 1 }).lean()
    : await models.AdminUser.findById(ownerId, { email: 1 }).lean();
}

const takeoverKey = (key: Key) => `account-email:${key._id}:${key.nonce}`;

/** Replaces `key` with `next` unless it was replaced already (by the takeover's winner, or a helper). */
async function replaceKey(models: Deps, key: Key, next: NextKey): Promise<void> {
  const current = await models.AccountEmail.findById(key._id).lean();
  if (current?.nonce === key.nonce) await models.AccountEmail.replaceOne({ _id: key._id }, { _id: key._id, ...next });
}

/**
 * Takes the key over from its version `key`: decided by one insert per version, so of two takers
 * (or a taker and a release) one replaces it. A winner that died before replacing is helped by the
 * next claimant after the grace time (at once when the claimant holds the address: the move).
 */
async function takeOver(models: Deps, key: Key, next: NextKey, holder: string, now: boolean): Promise<boolean> {
  const decided = await claimOnce(models, takeoverKey(key), holder, next);
  if (decided.won) {
    await replaceKey(models, key, next);
    return true;
  }
  if (decided.claim.data && (now || Date.now() - decided.claim.at.getTime() >= claimGraceMs))
    await replaceKey(models, key, decided.claim.data);
  return false;
}

/**
 * Claims `email` for the account `ownerId` (which may not exist yet). With `holds` the account
 * already has this address (the move of accounts from before the keys): any other key is wrong
 * (the unique email index keeps a second account from having it), so it is taken over at once.
 */
export async function claimEmail(
  models: Deps,
  kind: AccountKind,
  email: string,
  ownerId: string,
  options: { holds?: boolean } = {},
): Promise<ClaimResult> {
  const _id = emailKey(kind, email);
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = nextKey(ownerId);
    try {
      await models.AccountEmail.create({ _id, ...next });
      return 'claimed';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const key = (await models.AccountEmail.findById(_id).lean()) as Key | null;
    if (!key) continue;
    if (key.ownerId === ownerId) return 'owned';
    const owner = key.ownerId ? await ownerOf(models, kind, key.ownerId) : null;
    if (!options.holds && !keyIsFree(key, owner, email, new Date())) return 'taken';
    if (options.holds && owner?.email === email) return 'taken';
    if (await takeOver(models, key, next, `${kind}:${ownerId}`, options.holds ?? false)) return 'claimed';
    if (!options.holds) {
      // Lost to another taker: re-read once, which says who holds it now.
      const after = (await models.AccountEmail.findById(_id).lean()) as Key | null;
      if (after?.nonce === key.nonce) return 'taken';
    }
  }
  throw new DomainError('unavailable', `Too much contention on ${_id}; retry.`, 'busy');
}

/**
 * Gives up the key of an address `ownerId` no longer holds (after an email change). A crash before
 * this leaves a key that is free anyway (its owner holds another address), so this only tidies.
 */
export async function releaseEmail(models: Deps, kind: AccountKind, email: string, ownerId: string): Promise<void> {
  const key = (await models.AccountEmail.findById(emailKey(kind, email)).lean()) as Key | null;
  if (!key || key.ownerId !== ownerId) return;
  await takeOver(models, key, nextKey(null), `${kind}:${ownerId}`, false);
}

/**
 * Whether every account has its key. Before the move made them for accounts from before the keys
 * (the first seconds of a collector started on an older data folder), a missing key proves nothing.
 */
async function keysComplete(models: Deps): Promise<boolean> {
  return (await findClaim(models, moveMarkers(emailKeysMove).done)) !== undefined;
}

async function accountByEmail<T extends { email: string }>(
  models: Deps,
  kind: AccountKind,
  email: string,
  byId: (id: string) => Promise<T | null>,
  byFilter: () => Promise<T | null>,
): Promise<T | null> {
  const key = await models.AccountEmail.findById(emailKey(kind, email)).lean();
  const account = key?.ownerId ? await byId(key.ownerId) : null;
  // A stale key (an email change, a claim whose account never came) must not name another account.
  if (account && account.email === email) return account;
  if (await keysComplete(models)) return null;
  // Until the move is done: the search by email the keys replace, a scan, for these few seconds only.
  return byFilter();
}

/** The partner whose login email is `email` (normalized): two reads by `_id`. */
export function partnerByEmail(models: Deps, email: string): Promise<Partner | null> {
  return accountByEmail(
    models,
    'partner',
    email,
    async (id) => (await models.Partner.findById(id).lean()) as Partner | null,
    async () => (await models.Partner.findOne({ email }).lean()) as Partner | null,
  );
}

/** The operator whose login email is `email` (normalized): two reads by `_id`. */
export function adminByEmail(models: Deps, email: string): Promise<Admin | null> {
  return accountByEmail(
    models,
    'admin',
    email,
    async (id) => (await models.AdminUser.findById(id).lean()) as Admin | null,
    async () => (await models.AdminUser.findOne({ email }).lean()) as Admin | null,
  );
}
