// Signup attribution (docs/CONTRACTS.md §5). The server's click record is the truth: the cookie only
// names the click; its `ts` is never trusted.
import { z } from 'zod';
import { canonicalEmail } from './account-fields';
import { DAY_MS } from './days';
import { isLivePartner } from './partner-live';
import { bannerIdField, partnerIdField, uuidField } from './validation';

export type NotAttributedReason =
  | 'no_referral'
  | 'invalid_referral'
  | 'unknown_click'
  | 'click_not_counted'
  | 'click_after_signup'
  | 'expired'
  | 'partner_inactive'
  | 'self_referral'
  | 'already_bound';

export type Attribution = { attributed: true; partnerId: string } | { attributed: false; reason: NotAttributedReason };

/** The referral the SDK keeps in the `ashop_ref` cookie. */
export const referralSchema = z.object({
  v: z.literal(1),
  aid: partnerIdField,
  bid: bannerIdField.optional().nullable(),
  cid: uuidField,
  vid: uuidField.optional().nullable(),
  ts: z.number().optional(),
  /** Provenance (attribution health only): `s` the collector's Set-Cookie, `r` restored from storage. */
  p: z.string().max(8).optional().nullable(),
});
export type Referral = z.infer<typeof referralSchema>;

/**
 * The referral as sent: the cookie's object, or its raw value (URI-encoded JSON, or plain JSON).
 * `undefined` when none was sent, `null` when something unreadable was.
 */
export function parseReferral(value: unknown): Referral | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  let candidate: unknown = value;
  if (typeof value === 'string') {
    try {
      const text = value.trimStart().startsWith('{') ? value : decodeURIComponent(value);
      candidate = JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
  const parsed = referralSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

export interface ClickFacts {
  partnerId: string;
  counted: boolean;
  occurredAt: Date;
}

export interface PartnerFacts {
  status: string;
  email: string;
}

export interface SignupFacts {
  referral: Referral;
  /** The click the referral names, if recorded. */
  click: ClickFacts | undefined;
  partner: PartnerFacts | undefined;
  signupAt: Date;
  signupEmail: string | undefined;
  windowDays: number;
}

/** Whether a click `clickAt` is still inside the window at `signupAt`: at most `windowDays` × 24 h old. */
export function withinWindow(clickAt: Date, signupAt: Date, windowDays: number): boolean {
  return signupAt.getTime() - clickAt.getTime() <= windowDays * DAY_MS;
}

/** Same mailbox: case, spaces and `+tags` do not tell people apart. */
export function sameEmail(a: string, b: string): boolean {
  return canonicalEmail(a) === canonicalEmail(b);
}

/** Decides a signup whose customer is not bound yet. */
export function attribute(facts: SignupFacts): Attribution {
  const { click, partner, referral } = facts;
  if (!click || click.partnerId !== referral.aid) return { attributed: false, reason: 'unknown_click' };
  if (!partner || !isLivePartner(partner)) {
    return { attributed: false, reason: 'partner_inactive' };
  }
  if (!click.counted) return { attributed: false, reason: 'click_not_counted' };
  if (click.occurredAt.getTime() > facts.signupAt.getTime()) return { attributed: false, reason: 'click_after_signup' };
  if (!withinWindow(click.occurredAt, facts.signupAt, facts.windowDays))
    return { attributed: false, reason: 'expired' };
  if (facts.signupEmail && sameEmail(facts.signupEmail, partner.email))
    return { attributed: false, reason: 'self_referral' };
  return { attributed: true, partnerId: click.partnerId };
}
