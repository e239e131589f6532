// Unsubscribe links: `<partnerId>.<kind>.<HMAC>` signed with the JWT secret, so a link turns off
// one kind of notification for one partner and cannot be forged or pointed at another partner.
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, partnerId: string, kind: string) =>
  createHmac('sha256', secret).update(`unsubscribe\n${partnerId}\n${kind}`).digest('base64url');

export function unsubscribeToken(secret: string, partnerId: string, kind: string): string {
  return `${partnerId}.${kind}.${mac(secret, partnerId, kind)}`;
}

/** The partner and kind of a valid token; undefined for anything else. */
export function parseUnsubscribeToken(secret: string, token: string): { partnerId: string; kind: string } | undefined {
  const [partnerId, kind, given, ...rest] = token.split('.');
  if (!partnerId || !kind || !given || rest.length) return undefined;
  const expected = Buffer.from(mac(secret, partnerId, kind));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return { partnerId, kind };
}
