// The proof that a browser signup was issued by the merchant's server (docs/CONTRACTS.md §4):
// hex HMAC-SHA256(ASHOP_SIGNUP_SECRET, customerId). The merchant's backend computes it (the demo
// store does), the collector checks it.
import { createHmac } from 'node:crypto';

export function signupSignature(secret: string, customerId: string): string {
  return createHmac('sha256', secret).update(customerId).digest('hex');
}

/**
 * A browser signup that carries a coupon code: the merchant's server signs the code with the
 * customer, hex HMAC-SHA256(ASHOP_SIGNUP_SECRET, `<customerId>\ncoupon:<couponCode>`), so a
 * visitor cannot attach a code (and a partner) the merchant did not accept.
 */
export function couponSignupSignature(secret: string, customerId: string, couponCode: string): string {
  return signupSignature(secret, `${customerId}\ncoupon:${couponCode}`);
}
