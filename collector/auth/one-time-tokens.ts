// One-time tokens for emailed links (confirmation, password reset): `<accountId>.<secret>`. Only
// a SHA-256 of the secret is stored (it is 256 random bits: a slow KDF adds nothing); the account
// ID lets the check find its record by primary key.
import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from './api-keys';

export interface IssuedToken {
  token: string;
  hash: string;
}

export const hashTokenSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export function issueToken(accountId: string): IssuedToken {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${accountId}.${secret}`, hash: hashTokenSecret(secret) };
}

export function parseToken(token: string): { accountId: string; secret: string } | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || dot === token.length - 1) return undefined;
  return { accountId: token.slice(0, dot), secret: token.slice(dot + 1) };
}

export function tokenMatches(secret: string, storedHash: string | null | undefined): boolean {
  return Boolean(storedHash) && sameSecret(hashTokenSecret(secret), storedHash!);
}
