// Liveness (unhealthy once the database has been unreachable for ASHOP_UNHEALTHY_AFTER_SECONDS, so
// an orchestrator restarts the process), readiness (the database answers a ping) and metrics.
import { z } from 'zod';
import { Router } from 'express';
import type { Context } from '../context';
import type { Operation } from '../http/openapi';

const pingTimeoutMs = 2000;

export function healthRoutes({ config, connection, database, metrics }: Context): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    const downSeconds = Math.floor(database.downForMs / 1000);
    if (downSeconds >= config.unhealthyAfterSeconds) {
      res.status(503).json({ status: 'unhealthy', database: 'down', downSeconds });
      return;
    }
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    // Known down: answer at once; else ask the database (a failed ping marks it down).
    const ok = database.available && (await ping(connection).catch(() => false));
    if (!ok) database.markDown();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', database: ok ? 'up' : 'down' });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}

async function ping(connection: Context['connection']): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => (timer = setTimeout(() => done(false), pingTimeoutMs)));
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthDocs: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: 503 once the database has been down too long.',
    auth: 'public',
    responses: { '200': 'Alive.', '503': 'Unhealthy.' },
    answer: z.strictObject({ status: z.literal('ok') }),
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database answers a ping.',
    auth: 'public',
    responses: { '200': 'Ready.', '503': 'Database unavailable.' },
    answer: z.strictObject({ status: z.literal('ready'), database: z.literal('up') }),
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics.',
    auth: 'public',
    responses: { '200': 'Metrics in the Prometheus text format.' },
    produces: 'text/plain',
  },
];
