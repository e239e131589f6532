// Liveness, readiness (the database answers a ping) and Prometheus metrics.
import { Router } from 'express';
import type { Context } from '../context';

const pingTimeoutMs = 2000;

export function healthRoutes({ connection, metrics }: Context): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const ok = await ping(connection).catch(() => false);
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
