// Outbound webhooks: the event types, the signature merchants verify, and when a failed delivery
// is tried again.
import { createHash, createHmac } from 'node:crypto';

export const webhookEventTypes = [
  'partner.created',
  'partner.status_changed',
  'customer.attributed',
  'commission.created',
  'commission.reversed',
  'payout.created',
  'payout.completed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
/** Sent only by "send a test event", to one endpoint; never subscribed to. */
export const testEventType = 'webhook.test';

/** Retries stop this long after the event; the delivery is then failed for good. */
export const retryWindowMs = 3 * 86_400_000;

/**
 * The public event ID, derived from the fact's unique key (e.g. `commission.created:<ledger id>`):
 * recording the same fact again yields the same ID, so it is stored and delivered once.
 */
export function webhookEventId(key: string): string {
  return `evt_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** `Ashop-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`, one v1 per secret (rotation grace). */
export function signatureHeader(body: string, secrets: readonly string[], unixSeconds: number): string {
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`,
  );
  return [`t=${unixSeconds}`, ...signatures].join(',');
}

/**
 * Delay before attempt `attempt + 1` after `attempt` failed: 30 s doubling per attempt, at most
 * 6 hours (about 20 attempts in the 3-day window).
 */
export function retryDelayMs(attempt: number, baseMs = 30_000, maxMs = 6 * 3_600_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** When the next attempt is due, or undefined when the retry window is over. */
export function nextAttemptAt(eventAt: Date, failedAt: Date, attempt: number, baseMs?: number): Date | undefined {
  const next = failedAt.getTime() + retryDelayMs(attempt, baseMs);
  return next - eventAt.getTime() > retryWindowMs ? undefined : new Date(next);
}
