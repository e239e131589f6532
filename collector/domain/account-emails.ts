// Login email keys: which account holds an address, readable by one `_id` (services/account-emails.ts).
// Partners and operators are separate account kinds, as before: one address may be both.

export type AccountKind = 'partner' | 'admin';

/** The key of a (normalized) login email. */
export const emailKey = (kind: AccountKind, email: string): string => `${kind}|${email}`;

/**
 * How long a claim whose account does not exist yet is respected: longer than any sign-up or
 * operator creation takes between claiming the address and storing the account, short enough
 * that a process that died in between frees the address soon.
 */
export const claimGraceMs = 2 * 60_000;

/** The one-time move (services/keyed-lists-migration.ts) that made keys for accounts from before them. */
export const emailKeysMove = 'v4';

export interface EmailKeyState {
  /** Null (or absent) once released. */
  ownerId?: string | null | undefined;
  at: Date;
}

/** What a key's owner says about the address, when the owner exists. */
export interface OwnerState {
  email: string;
  /** A partner's email change under way, until confirmed (the key of the new address is claimed first). */
  emailChangeTo?: string | null | undefined;
  emailChangeExpiresAt?: Date | null | undefined;
}

/**
 * Whether a key no longer holds its address for anyone, so another account may take it over:
 * released; or its owner exists and neither holds the address nor is changing to it (an email
 * change that moved on, or a crash before the old key was released); or the owner never appeared
 * and the claim is older than the grace time (a process died between the claim and the account).
 */
export function keyIsFree(key: EmailKeyState, owner: OwnerState | null, email: string, now: Date): boolean {
  if (key.ownerId === null || key.ownerId === undefined) return true;
  if (owner) {
    if (owner.email === email) return false;
    const changing =
      owner.emailChangeTo === email &&
      owner.emailChangeExpiresAt !== null &&
      owner.emailChangeExpiresAt !== undefined &&
      owner.emailChangeExpiresAt.getTime() > now.getTime();
    return !changing;
  }
  return now.getTime() - key.at.getTime() >= claimGraceMs;
}

/** The markers of a keyed-lists move: `started` taken by the one process that moves, `done` when moved. */
export const moveMarkers = (version: string) => ({
  started: `migration:keyed-lists:${version}`,
  done: `migration:keyed-lists:${version}:done`,
});
