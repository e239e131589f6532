// The proof that a browser signup was issued by the merchant's server. The merchant's backend
// computes it (the demo store does), the collector checks it:
//   with an email:    hex HMAC-SHA256(ASHOP_SIGNUP_SECRET, customerId + "\n" + email)
//   without an email: hex HMAC-SHA256(ASHOP_SIGNUP_SECRET, customerId)
// The email is normalized (trimmed, lower-cased) first. Only a signed email can decide money (the
// self-referral check): a browser can neither add one nor leave a signed one out.
import { createHmac } from 'node:crypto';
import { normalizeEmail } from './account-fields';

export function signupSignature(secret: string, customerId: string, email?: string): string {
  const message = email === undefined ? customerId : `${customerId}\n${normalizeEmail(email)}`;
  return createHmac('sha256', secret).update(message).digest('hex');
}
