// Server-to-server API keys: long random strings, stored only as their SHA-256 (a slow KDF adds
// nothing for 256-bit random secrets, and every tracking request checks one).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyScope } from '../models/api-key';
import type { Models } from '../models';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(scope: ApiKeyScope): string {
  return `ak_${scope}_${randomBytes(24).toString('base64url')}`;
}

/** Creates a key and returns it in clear text, once; only its hash is stored. */
export async function createApiKey(models: Models, scope: ApiKeyScope, label?: string): Promise<string> {
  const key = generateApiKey(scope);
  await models.ApiKey.create({ _id: hashApiKey(key), scope, prefix: key.slice(0, 12), label, createdAt: new Date() });
  return key;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
