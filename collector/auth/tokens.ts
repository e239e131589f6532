// JWTs for partners and admins: HS256 only, always with an expiry.
import jwt from 'jsonwebtoken';

export type Role = 'partner' | 'admin';

export interface TokenClaims {
  sub: string;
  role: Role;
  /** Issued at, seconds. */
  iat: number;
  exp: number;
  /**
   * The account's token version when issued: a password reset bumps it, so every earlier token
   * stops working at once (iat has whole seconds only, too coarse to compare with a reset time).
   */
  ver: number;
}

const algorithm = 'HS256';
export const tokenLifetimeSeconds = 8 * 60 * 60;

export function signToken(
  secret: string,
  sub: string,
  role: Role,
  lifetimeSeconds = tokenLifetimeSeconds,
  ver = 0,
): string {
  return jwt.sign({ role, ver }, secret, { algorithm, subject: sub, expiresIn: lifetimeSeconds });
}

/** The claims of a valid token, or undefined for anything else (other algorithm, none, expired, tampered). */
export function verifyToken(secret: string, token: string): TokenClaims | undefined {
  try {
    const claims = jwt.verify(token, secret, { algorithms: [algorithm] });
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { sub, role, iat, exp, ver = 0 } = claims as Partial<TokenClaims>;
    if (typeof sub !== 'string' || (role !== 'partner' && role !== 'admin')) return undefined;
    if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isSafeInteger(ver)) return undefined;
    return { sub, role, iat, exp, ver };
  } catch {
    return undefined;
  }
}
