// The referral record (docs/CONTRACTS.md §2) and its text form, shared by the cookie, its localStorage copy
// and the hidden form input.
import { guard } from './guard';
import { ID, UUID } from './link';

export interface Referral {
  v: 1;
  aid: string;
  bid?: string;
  /** Click ID (UUID v4). */
  cid: string;
  /** Visitor ID (UUID v4), kept across clicks. */
  vid: string;
  /** Click time, ms since the epoch (the collector's own time when it set the cookie). */
  ts: number;
  /** Provenance: `s` written by the collector's Set-Cookie, `r` restored from the storage copy; none: the SDK's. */
  p?: string;
}

export const encode = (r: Referral): string => encodeURIComponent(JSON.stringify(r));

/** The record in a cookie or storage value; falsy for anything missing, corrupt or of another version. */
export const decodeReferral = guard((raw: string | null | undefined): Referral | false => {
  const r = JSON.parse(decodeURIComponent(raw!));
  // Enough to use it safely; the collector checks the rest and never trusts ts.
  return r.v == 1 && ID.test(r.aid) && UUID.test(r.cid) && UUID.test(r.vid) && r;
});

/**
 * A random UUID v4. Browsers offer crypto.randomUUID only in secure contexts (https, localhost);
 * elsewhere this throws and the tracker's guard leaves the page untouched: no half-written referral.
 */
export const uuid = (): string => crypto.randomUUID();
