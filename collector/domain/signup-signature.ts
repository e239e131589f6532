// The proof that a browser signup was issued by the merchant's server (docs/CONTRACTS.md §4):
// hex HMAC-SHA256(ASHOP_SIGNUP_SECRET, customerId). The merchant's backend computes it (the demo
// store does), the collector checks it.
import { createHmac } from 'node:crypto';

export function signupSignature(secret: string, customerId: string): string {
  return createHmac('sha256', secret).update(customerId).digest('hex');
}
