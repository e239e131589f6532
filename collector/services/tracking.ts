// The ingestion services of one collector instance (partner cache, visitor salts, daily_stats
// queue, click writer), created on first use and drained when the collector closes. Routes, the
// benchmark and tests reach them through trackingServices(context).
import type { Context } from '../context';
import { ClickWriter, type ClickInput, type ClickOutcome } from './click-writer';
import { PartnerCache } from './partner-cache';
import { StatsQueue } from './stats-queue';
import { VisitorHasher } from './visitor-hash';

export interface TrackingServices {
  partners: PartnerCache;
  visitors: VisitorHasher;
  stats: StatsQueue;
  clicks: ClickWriter;
  /** Writes queued clicks and counters now (tests, reports that must be exact). */
  flush(): Promise<void>;
}

const instances = new WeakMap<Context, TrackingServices>();

export function trackingServices(context: Context): TrackingServices {
  let services = instances.get(context);
  if (!services) {
    const { models, logger } = context;
    const partners = new PartnerCache(models);
    const visitors = new VisitorHasher(models);
    const stats = new StatsQueue(models, logger);
    const clicks = new ClickWriter({ models, logger, partners, visitors, stats });
    services = {
      partners,
      visitors,
      stats,
      clicks,
      flush: async () => {
        await clicks.flush();
        await stats.flush();
      },
    };
    instances.set(context, services);
    // Clicks first: storing them queues counter increments.
    context.onClose(async () => {
      await clicks.close();
      await stats.close();
    });
  }
  return services;
}

/** Records one click through the same group-committed path the HTTP endpoints use. */
export function recordClick(context: Context, click: ClickInput): Promise<ClickOutcome> {
  return trackingServices(context).clicks.submit(click);
}
