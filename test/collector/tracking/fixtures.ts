// Helpers for the tracking and billing tests: requests as the SDK and the billing system send them.
import { randomUUID } from 'node:crypto';
import type { Collector } from '../../../collector/app';
import { addCounters, bucketId, dimensionKey, zeroCounters, type Bucket } from '../../../collector/domain/stat-layout';
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

/** Counters of one partner over all days and banners, after every stored fact is folded. */
export async function statsOf(collector: Collector, partnerId: string) {
  await collector.context.tracking.flush();
  const buckets = (await collector.context.models.StatBucket.find({ partnerId }).lean()) as unknown as Bucket[];
  const totals = zeroCounters();
  for (const bucket of buckets) for (const day of Object.values(bucket.days)) addCounters(totals, day);
  return totals;
}

/** Counters of one partner, UTC day and banner (none: no banner), after every stored fact is folded. */
export async function dayStatsOf(collector: Collector, partnerId: string, day: string, bid?: string) {
  await collector.context.tracking.flush();
  const bucket = (await collector.context.models.StatBucket.findById(bucketId(partnerId, day)).lean()) as Bucket | null;
  const totals = zeroCounters();
  addCounters(totals, bucket?.dims.banner[dimensionKey(bid)]?.[day.slice(8, 10)]);
  return totals;
}
