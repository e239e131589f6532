// Who is calling: `Authorization: Bearer <token>` where the token is an API key (track or admin
// scope, from the environment or the api_keys collection) or a partner/admin JWT.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hashApiKey, sameSecret } from '../auth/api-keys';
import { verifyToken } from '../auth/tokens';
import type { Context } from '../context';
import type { ApiKeyScope } from '../models/api-key';
import { HttpProblem } from './problem';

export type Caller =
  | { kind: 'key'; scope: ApiKeyScope; id: string }
  | { kind: 'partner'; partnerId: string }
  | { kind: 'admin'; adminId: string };

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw new HttpProblem(401, 'The Authorization header must be "Bearer <token>".', { slug: 'unauthorized' });
  return match[1];
}

/** Resolves the caller (or undefined when no credentials were sent); throws 401 for bad ones. */
export async function identify(context: Context, req: Request): Promise<Caller | undefined> {
  const token = bearer(req);
  if (!token) return undefined;
  const { config, models } = context;
  if (config.adminKey && sameSecret(token, config.adminKey))
    return { kind: 'key', scope: 'admin', id: 'env:ASHOP_ADMIN_KEY' };
  if (config.serverKey && sameSecret(token, config.serverKey))
    return { kind: 'key', scope: 'track', id: 'env:ASHOP_SERVER_KEY' };
  if (token.startsWith('ak_')) {
    const key = await models.ApiKey.findById(hashApiKey(token)).lean();
    if (key && !key.revokedAt) return { kind: 'key', scope: key.scope, id: key.prefix };
    throw new HttpProblem(401, 'Unknown or revoked API key.', { slug: 'unauthorized' });
  }
  const claims = verifyToken(config.jwtSecret, token);
  if (!claims) throw new HttpProblem(401, 'Invalid or expired token.', { slug: 'unauthorized' });
  if (claims.role === 'admin') {
    const admin = await models.AdminUser.exists({ _id: claims.sub });
    if (!admin) throw new HttpProblem(401, 'Invalid or expired token.', { slug: 'unauthorized' });
    return { kind: 'admin', adminId: claims.sub };
  }
  const partner = await models.Partner.findById(claims.sub, { status: 1, tokenVersion: 1 }).lean();
  if (!partner || partner.status === 'disabled' || claims.ver !== (partner.tokenVersion ?? 0)) {
    throw new HttpProblem(401, 'Invalid or expired token.', { slug: 'unauthorized' });
  }
  return { kind: 'partner', partnerId: claims.sub };
}

type Accept = (caller: Caller) => boolean;

function requireCaller(context: Context, accept: Accept, what: string): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const caller = req.caller ?? (await identify(context, req));
    if (!caller) throw new HttpProblem(401, `This endpoint needs ${what}.`, { slug: 'unauthorized' });
    if (!accept(caller)) throw new HttpProblem(403, `This endpoint needs ${what}.`, { slug: 'forbidden' });
    req.caller = caller;
    next();
  };
}

/** Server-to-server tracking calls: a `track` key (an admin key may do everything a track key may). */
export const requireServerKey = (context: Context) =>
  requireCaller(context, (c) => c.kind === 'key', 'a server API key');

export const requireAdmin = (context: Context) =>
  requireCaller(context, (c) => c.kind === 'admin' || (c.kind === 'key' && c.scope === 'admin'), 'admin credentials');

export const requirePartner = (context: Context) =>
  requireCaller(context, (c) => c.kind === 'partner', 'a partner login');

/** Optional: identifies the caller when credentials were sent (e.g. signups from a browser or a server). */
export const optionalCaller =
  (context: Context): RequestHandler =>
  async (req, _res, next) => {
    req.caller = await identify(context, req);
    next();
  };

/** Who did it, for the audit log. */
export function actorOf(caller: Caller | undefined): string {
  if (!caller) return 'anonymous';
  if (caller.kind === 'key') return `key:${caller.id}`;
  return caller.kind === 'admin' ? `admin:${caller.adminId}` : `partner:${caller.partnerId}`;
}
