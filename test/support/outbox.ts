// Reading what the collector mailed (kept in the outbox when no SMTP_URL is set).
import type { Collector } from '../../collector/app';
import { drainMail } from './collector';

/**
 * The newest mail to `address` whose text matches `pattern`: sends what is queued, then waits up to
 * 5 s for it to be written (a collector service also sends on its own).
 */
export async function mailTo(collector: Collector, address: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    await drainMail(collector);
    const messages = await collector.context.models.OutboxMessage.find({ to: address }).sort({ createdAt: -1 }).lean();
    const found = messages.find((message) => pattern.test(message.text));
    if (found) return found.text;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The token of a `/partners/<page>?token=` link in a mail. */
export function linkToken(text: string, page: string): string {
  const match = new RegExp(`/partners/${page}\\?token=(\\S+)`).exec(text);
  if (!match) throw new Error(`no ${page} link in:\n${text}`);
  return decodeURIComponent(match[1]!);
}
