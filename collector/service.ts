// A running collector: engine (when embedded), database connection, HTTP server, and an orderly
// stop: stop accepting, drain requests and queued writes, close the database, stop the engine.
import type { Server } from 'node:http';
import type { Connection } from 'mongoose';
import { createCollector, type Collector } from './app';
import { listen, urlOf } from './listen';
import type { Config } from './config';
import { openConnection } from './db/connection';
import { startEngine, type Engine } from './db/engine';
import type { Logger } from './logger';
import { syncIndexes } from './models';
import { createMailSender } from './services/mail-queue';
import { settleBatches } from './services/payouts';
import { scheduleRetention } from './services/retention';
import { createWebhookDispatcher } from './services/webhook-dispatcher';

export interface CollectorService {
  url: string;
  engine: Engine;
  connection: Connection;
  collector: Collector;
  stop(): Promise<void>;
}

/** `progress` gets the engine's build progress (default: the log at info level). */
export async function startCollectorService(
  config: Config,
  logger: Logger,
  progress: (line: string) => void = (line) => logger.info(line),
  /** Database name on the engine (default "ashop"); the end-to-end tests use a fresh one. */
  dbName?: string,
): Promise<CollectorService> {
  const engine = await startEngine(config.mongodbUri, { dataDir: config.dataDir, progress, logger });
  // An embedded engine's URI is loopback-only and has no credentials (MONGODB_URI may have some).
  const started = engine.kind === 'external' ? {} : { enginePid: engine.pid, engineUri: engine.uri };
  logger.info({ engine: engine.kind, ...started }, `database engine: ${engine.kind}`);
  let connection: Connection | undefined;
  let collector: Collector | undefined;
  try {
    connection = await openConnection(engine.uri, dbName);
    collector = createCollector({ config, connection, logger, processMetrics: true });
    await syncIndexes(collector.context.models);
    const server = await listen(collector.app, config.port, config.host, 'PORT');
    // Only once listening: a start-up that fails leaves no job running against a closed connection.
    scheduleRetention(collector.context);
    settleAfterStart(collector.context);
    const webhooks = createWebhookDispatcher(collector.context);
    webhooks.start();
    collector.context.onClose(() => webhooks.stop());
    const mail = createMailSender(collector.context);
    mail.start();
    collector.context.onClose(() => mail.stop());
    const url = urlOf(config.host, config.port);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await closeServer(server);
        await collector!.close();
        await connection!.close();
        await engine.stop();
      })());
    return { url, engine, connection, collector, stop };
  } catch (error) {
    await collector?.close().catch(() => {});
    await connection?.close().catch(() => {});
    await engine.stop();
    throw error;
  }
}

/**
 * A payout batch that a stopped process left between two steps (a completion decided but not all
 * failed items given back, a sealed batch not yet open) is finished at once, not at the next run.
 */
function settleAfterStart(context: Collector['context']): void {
  const done = settleBatches(context, 'system:start-up').then(
    (moved) => moved.length && context.logger.info({ payouts: moved }, 'payout batches left mid-step finished'),
    (error: unknown) =>
      context.logger.warn({ err: error }, 'payout batches not settled at start-up; the next run does it'),
  );
  context.onClose(() => done.then(() => undefined));
}

/** Stops accepting, lets in-flight requests finish (10 s at most), then drops what is left. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(force);
}
