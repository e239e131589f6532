// The ingestion services of one collector instance (partner cache, visitor salts, daily_stats
// queue, click writer). createCollector builds them once and drains them when the collector closes.
import type { Logger } from '../logger';
import type { Models } from '../models';
import { AttributionDayWriter } from './attribution-report';
import { ClickWriter } from './click-writer';
import { PartnerCache } from './partner-cache';
import { StatsQueue } from './stats-queue';
import { VisitorHasher } from './visitor-hash';

export interface TrackingServices {
  partners: PartnerCache;
  visitors: VisitorHasher;
  stats: StatsQueue;
  clicks: ClickWriter;
  /** The attribution health report's day summaries. */
  attributionDays: AttributionDayWriter;
  /** Writes queued clicks and counters now (tests, reports that must be exact). */
  flush(): Promise<void>;
  /** Stops taking clicks and writes what is queued (clicks first: storing them queues counters). */
  close(): Promise<void>;
}

export function createTrackingServices(models: Models, logger: Logger): TrackingServices {
  const partners = new PartnerCache(models);
  const visitors = new VisitorHasher(models);
  const stats = new StatsQueue(models, logger);
  const clicks = new ClickWriter({ models, logger, partners, visitors, stats });
  const attributionDays = new AttributionDayWriter(models, logger);
  return {
    partners,
    visitors,
    stats,
    clicks,
    attributionDays,
    flush: async () => {
      await clicks.flush();
      await stats.flush();
      await attributionDays.flush();
    },
    close: async () => {
      await clicks.close();
      await stats.close();
      await attributionDays.close();
    },
  };
}
