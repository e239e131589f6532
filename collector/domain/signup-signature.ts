// The proof that a browser signup was issued by the merchant's server. The merchant's backend
// computes it (the demo store does), the collector checks it: hex HMAC-SHA256(ASHOP_SIGNUP_SECRET,
// message), where the message is the customerId, then "\n" + the normalized email when an email is
// signed, then "\ncoupon:" + the code when a coupon code is sent. Only what is signed can decide money:
// a browser can neither add an email (the self-referral check) nor attach a code (and a partner).
import { createHmac } from 'node:crypto';
import { normalizeEmail } from './account-fields';

export function signupSignature(secret: string, customerId: string, email?: string, couponCode?: string): string {
  let message = customerId;
  if (email !== undefined) message += `\n${normalizeEmail(email)}`;
  if (couponCode !== undefined) message += `\ncoupon:${couponCode}`;
  return createHmac('sha256', secret).update(message).digest('hex');
}
