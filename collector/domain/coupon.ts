// Coupon codes (README "Coupon codes"): a partner's code binds the customer who signs up with it,
// like a link. Codes are unique whatever their case: the key is the lower-cased code.
import { z } from 'zod';
import { isLivePartner } from './partner-live';
import { timestampField } from './validation';

export const couponCodePattern = /^[A-Za-z0-9_-]{3,32}$/;
export const couponCodeField = z.string().regex(couponCodePattern, 'must be 3-32 characters of A-Z a-z 0-9 _ -');

/** The request fields of a code, shared by the operator's and the partner's routes. */
export const couponFields = {
  code: couponCodeField,
  details: {
    endsAt: timestampField.optional(),
    discount: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().min(1).max(500).optional(),
  },
};

/** `pending`: requested by the partner, awaiting the operator; only `active` codes attribute. */
export const couponStatuses = ['pending', 'active', 'rejected', 'inactive'] as const;
export type CouponStatus = (typeof couponStatuses)[number];

export const couponReasons = ['unknown_coupon', 'coupon_inactive', 'coupon_expired', 'partner_inactive'] as const;
export type CouponReason = (typeof couponReasons)[number];

export type CouponCheck =
  { valid: true; partnerId: string; discount?: string | undefined } | { valid: false; reason: CouponReason };

/** The coupons collection's `_id` of a code; undefined for text that cannot be a code. */
export function couponKey(code: string): string | undefined {
  return couponCodePattern.test(code) ? code.toLowerCase() : undefined;
}

export interface CouponFacts {
  partnerId: string;
  status: string;
  endsAt?: Date | null | undefined;
  discount?: string | null | undefined;
}

/**
 * Whether a code attributes at `at`: it exists and was approved (pending and rejected requests are
 * unknown to customers), is not deactivated, not past its end, and its partner is live (a frozen
 * or disabled partner's code does not attribute).
 */
export function checkCoupon(
  coupon: CouponFacts | undefined,
  partner: { status: string } | undefined,
  at: Date,
): CouponCheck {
  if (!coupon || coupon.status === 'pending' || coupon.status === 'rejected')
    return { valid: false, reason: 'unknown_coupon' };
  if (coupon.status !== 'active') return { valid: false, reason: 'coupon_inactive' };
  if (coupon.endsAt && at.getTime() > coupon.endsAt.getTime()) return { valid: false, reason: 'coupon_expired' };
  if (!isLivePartner(partner)) return { valid: false, reason: 'partner_inactive' };
  return { valid: true, partnerId: coupon.partnerId, ...(coupon.discount ? { discount: coupon.discount } : {}) };
}
