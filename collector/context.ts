// What every route and service of one collector instance shares.
import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { DatabaseHealth } from './db/health';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Models } from './models';
import type { TrackingServices } from './services/tracking';

export interface Context {
  config: Config;
  connection: Connection;
  /** Whether the database is reachable now, and since when it is not. */
  database: DatabaseHealth;
  models: Models;
  logger: Logger;
  metrics: Metrics;
  tracking: TrackingServices;
  /** Tasks to finish before the process may stop (queued writes drain here). */
  onClose(task: () => Promise<void>): void;
}
