// Which evidence decides a signup (README "Signups"): the referral's own click, the visitor's
// other counted clicks (the server's history), and a coupon code. Pure: the service reads the
// facts by key and judges each click with attribute() (domain/attribution.ts).
import type { Attribution, NotAttributedReason, Referral } from './attribution';
import { sourceOf, type AttributionMethod, type AttributionSource } from './attribution-health';
import type { CouponReason } from './coupon';
import { pickByModel, type AttributionModel } from './visitor-history';

export type SignupReason = NotAttributedReason | CouponReason;

export type Evidence =
  | {
      attributed: true;
      partnerId: string;
      method: AttributionMethod;
      source: AttributionSource;
      clickId?: string | undefined;
      bid?: string | undefined;
      couponCode?: string | undefined;
    }
  | { attributed: false; reason: SignupReason };

export interface JudgedClick {
  cid: string;
  partnerId: string;
  bid?: string | undefined;
  redirect?: boolean | undefined;
  occurredAt: Date;
  decision: Attribution;
}

/**
 * The link's evidence: of the clicks that attribute (the referral's own and the visitor's history),
 * the first or last by the model. None attributing: the reason of the referral's own click, so the
 * documented reasons stay what they were.
 */
export function linkEvidence(
  referral: Referral,
  clicks: readonly JudgedClick[],
  ownDecision: Attribution,
  model: AttributionModel,
): Evidence {
  const chosen = pickByModel(
    clicks.filter((click) => click.decision.attributed),
    model,
  );
  if (!chosen) return ownDecision.attributed ? { attributed: false, reason: 'unknown_click' } : ownDecision;
  const method: AttributionMethod = chosen.cid !== referral.cid ? 'history' : chosen.redirect ? 'redirect' : 'link';
  return {
    attributed: true,
    partnerId: chosen.partnerId,
    method,
    source: sourceOf(method, referral.p),
    clickId: chosen.cid,
    bid: chosen.bid,
  };
}

/**
 * A code and a link that both attribute: `precedence` decides (default `coupon`: the customer typed
 * it). Only one attributing: that one. Neither: the code's reason when a code was given (the
 * merchant asked about it), else the link's.
 */
export function chooseEvidence(
  link: Evidence | undefined,
  coupon: Evidence | undefined,
  precedence: 'coupon' | 'link',
): Evidence {
  if (link?.attributed && coupon?.attributed) return precedence === 'coupon' ? coupon : link;
  if (coupon?.attributed) return coupon;
  if (link?.attributed) return link;
  return coupon ?? link ?? { attributed: false, reason: 'no_referral' };
}
