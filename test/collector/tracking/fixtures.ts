// Helpers for the tracking and billing tests: requests as the SDK and the billing system send them.
import { randomUUID } from 'node:crypto';
import type { Collector } from '../../../collector/app';
import { testServerKey } from '../../support/collector';

export const serverKey = { Authorization: `Bearer ${testServerKey}` };
export const browserUa =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const botUa = 'Googlebot/2.1 (+http://www.google.com/bot.html)';

export function clickBody(aid: string, extra: Record<string, unknown> = {}) {
  return { aid, cid: randomUUID(), vid: randomUUID(), url: 'http://localhost:8080/pricing', ...extra };
}

export function referralOf(click: { aid: string; cid: string; vid: string; bid?: string }) {
  return { v: 1, aid: click.aid, bid: click.bid, cid: click.cid, vid: click.vid, ts: Date.now() };
}

/** Counters of one partner over all days and banners, after the queues are written. */
export async function statsOf(collector: Collector, partnerId: string) {
  await collector.context.tracking.flush();
  const rows = await collector.context.models.DailyStat.find({ partnerId }).lean();
  const totals = { clicks: 0, uniqueClicks: 0, signups: 0, customers: 0, revenue: 0, commission: 0 };
  for (const row of rows)
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += row[key] ?? 0;
  return totals;
}
