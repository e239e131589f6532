// The demo site: Ashop Commerce's marketing site, store signup, partner portal and operator console.
// Placeholder until the demo-site issue lands.
import { once } from 'node:events';
import type { Server } from 'node:http';
import express, { type Express } from 'express';

export interface DemoSiteOptions {
  collectorUrl: string;
}

export function createDemoSite(_options: DemoSiteOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    res.type('html').send('<!doctype html><title>Ashop Commerce</title><h1>Ashop Commerce</h1><p>Demo site coming soon.</p>');
  });
  return app;
}

export async function startDemoSite(options: DemoSiteOptions & { port: number }): Promise<{ url: string; server: Server }> {
  const server = createDemoSite(options).listen(options.port, '0.0.0.0');
  await once(server, 'listening');
  return { url: `http://localhost:${options.port}`, server };
}
