// The collector's Express app, without listening (supertest drives it directly).
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import pinoHttp from 'pino-http';
import type { Config } from './config';
import type { Context } from './context';
import { DatabaseHealth } from './db/health';
import { jsonBodyLimit } from './http/body-limit';
import { errorHandler, notFound } from './http/errors';
import { checkAnswers } from './http/openapi';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { migrateKeyedLists } from './services/keyed-lists-migration';
import { createModels } from './models';
import { apiOperations, mountRawBodyRoutes, mountRoutes } from './routes';
import { createTrackingServices } from './services/tracking';

export interface Collector {
  app: Express;
  context: Context;
  /** Drains queued work; call after the HTTP server stopped accepting, before closing the database. */
  close(): Promise<void>;
  /** Settles when the start-up move of old lists to keyed logs is done (it runs in the background). */
  migrated: Promise<void>;
}

export interface CollectorOptions {
  config: Config;
  connection: Connection;
  logger: Logger;
  /** Node process metrics (CPU, memory) on /metrics; off for extra instances in one process. */
  processMetrics?: boolean;
  /** Hold every JSON answer to its documented schema (tests): a mismatch is a 500. */
  checkAnswers?: boolean;
}

export function createCollector(options: CollectorOptions): Collector {
  const closeTasks: Array<() => Promise<void>> = [];
  const models = createModels(options.connection);
  const tracking = createTrackingServices(models, options.logger, {
    foldMs: options.config.statsFoldMs,
    graceMs: options.config.statsGraceMs,
  });
  closeTasks.push(() => tracking.close());
  const database = new DatabaseHealth(options.connection, options.logger);
  closeTasks.push(async () => database.close());
  tracking.stats.start();
  const migrated = migrateKeyedLists(models, options.logger, tracking.stats.owner).then(
    () => undefined,
    (error: unknown) =>
      options.logger.error({ err: error }, 'keyed list migration failed; it is retried at a later start'),
  );
  closeTasks.push(() => migrated);
  const context: Context = {
    config: options.config,
    connection: options.connection,
    database,
    models,
    logger: options.logger,
    metrics: createMetrics({ processMetrics: options.processMetrics ?? false }),
    tracking,
    onClose: (task) => closeTasks.push(task),
  };

  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For to believe (ASHOP_TRUST_PROXY): loopback by default, for the demo site's proxy.
  app.set('trust proxy', options.config.trustProxy);

  // Answers are JSON, CSV and scripts: never let a browser guess another type.
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Privacy: no addresses, no cookies or keys in logs.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );

  app.use((req, res, next) => {
    const end = context.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      context.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  });

  if (options.checkAnswers) app.use(checkAnswers(apiOperations));
  mountRawBodyRoutes(app, context);
  app.use(express.json({ limit: jsonBodyLimit, type: ['application/json', 'application/*+json'] }));

  mountRoutes(app, context);

  app.use(notFound);
  app.use(errorHandler(options.logger, () => database.markDown()));

  return {
    app,
    context,
    migrated,
    close: async () => {
      for (const task of closeTasks) await task();
    },
  };
}
