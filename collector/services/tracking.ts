// The ingestion services of one collector instance (partner cache, visitor salts, stats folder,
// click writer). createCollector builds them once and drains them when the collector closes.
import type { Logger } from '../logger';
import type { Models } from '../models';
import { AttributionDayWriter } from './attribution-report';
import { ClickWriter } from './click-writer';
import { PartnerCache } from './partner-cache';
import { StatsFolder, type StatsFolderOptions } from './stats-folder';
import { VisitorHasher } from './visitor-hash';

export interface TrackingServices {
  partners: PartnerCache;
  visitors: VisitorHasher;
  stats: StatsFolder;
  clicks: ClickWriter;
  /** The attribution health report's day summaries. */
  attributionDays: AttributionDayWriter;
  /** Writes queued clicks and folds every stored fact into the counters now (tests, the CLI). */
  flush(): Promise<void>;
  /** Stops taking clicks and writes what is queued; stops folding (pending deltas stay for the next fold). */
  close(): Promise<void>;
}

export function createTrackingServices(models: Models, logger: Logger, folding: StatsFolderOptions): TrackingServices {
  const partners = new PartnerCache(models);
  const visitors = new VisitorHasher(models);
  const stats = new StatsFolder(models, logger, folding);
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
