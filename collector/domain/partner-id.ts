// Partner IDs: the public `a_aid` in links. Random (unguessable), URL-safe, short enough to type,
// and without look-alike characters (no 0/o, 1/l/i). Uniqueness comes from inserting under `_id`.
import { randomInt } from 'node:crypto';

export const partnerIdAlphabet = '23456789abcdefghjkmnpqrstuvwxyz';
export const partnerIdLength = 10;

/** 31^10 ≈ 8·10^14 IDs: guessing a live one is hopeless, collisions are retried by the caller. */
export function generatePartnerId(): string {
  let id = '';
  for (let i = 0; i < partnerIdLength; i++) id += partnerIdAlphabet[randomInt(partnerIdAlphabet.length)];
  return id;
}
