// The demo site: Ashop Commerce's marketing site with partner tracking, the store signup page and
// the site's small backend, the partner program pages and portal, the operator console and the
// dev mailbox. The collector is reached through the /ashop/ reverse proxy.
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from '../collector/config';
import { projectRoot } from '../collector/paths';
import { errorHandler, notFound } from '../collector/http/errors';
import { listen, urlOf } from '../collector/listen';
import type { Logger } from '../collector/logger';
import type { Models } from '../collector/models';
import { siteApi } from './api';
import { consolePage } from './pages/admin';
import { apiReferencePage } from './pages/api-docs';
import { mailboxClosedPage, mailboxPage } from './pages/mail';
import { featuresPage, homePage, notFoundPage, pricingPage, signupPage } from './pages/marketing';
import {
  confirmEmailPage,
  unsubscribePage,
  confirmPage,
  loginPage,
  partnerSignupPage,
  portalPage,
  programPage,
  resetPage,
  settingsPage,
} from './pages/partners';
import { collectorProxy } from './proxy';
import { appPagePolicy, isLoopbackAddress } from './safety';
import { storeModel } from './store';

export const defaultStoreDbName = 'ashop_demo_store';

export interface DemoSiteOptions {
  config: Config;
  /** Where the collector listens (proxy target and the backend's server-to-server calls). */
  collectorUrl: string;
  /** The collector's database connection: the stores live in a sibling database on it. */
  connection: Connection;
  /** The collector's models on that connection (/mail/ reads the outbox). */
  models: Models;
  storeDbName?: string;
  /** A `track` API key for the billing run. */
  serverKey: string;
  logger: Logger;
}

export interface DemoSite {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function createDemoSite(options: DemoSiteOptions): Promise<Express> {
  const Store = await storeModel(options.connection.useDb(options.storeDbName ?? defaultStoreDbName));
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });

  // Before any body parser: the proxy streams request bodies through unread.
  app.use('/ashop', collectorProxy(options.collectorUrl, options.logger));

  app.use('/assets', express.static(join(projectRoot, 'dist', 'site'), { maxAge: '1h' }));
  app.use('/static', express.static(join(__dirname, 'public'), { maxAge: '1h' }));
  const uplotDist = dirname(require.resolve('uplot'));
  app.get('/vendor/uPlot.iife.min.js', (_req, res) =>
    res.sendFile(join(uplotDist, 'uPlot.iife.min.js'), { maxAge: '1d' }),
  );
  app.get('/vendor/uPlot.min.css', (_req, res) => res.sendFile(join(uplotDist, 'uPlot.min.css'), { maxAge: '1d' }));

  app.use('/api', siteApi({ Store, ...options }));

  const send = (render: () => string) => (_req: express.Request, res: express.Response) => {
    res.type('html').send(render());
  };
  // The pages that hold a login token in sessionStorage (and the mailbox with its reset links).
  app.use(['/partners', '/admin', '/mail'], (_req, res, next) => {
    res.setHeader('Content-Security-Policy', appPagePolicy);
    next();
  });
  app.get('/', send(homePage));
  app.get('/features', send(featuresPage));
  app.get('/pricing', send(pricingPage));
  app.get('/signup', (req, res) => {
    res.type('html').send(signupPage(typeof req.query.plan === 'string' ? req.query.plan : undefined));
  });
  app.get('/partners/', send(programPage));
  app.get('/partners/signup', send(partnerSignupPage));
  app.get('/partners/confirm', send(confirmPage));
  app.get('/partners/reset', send(resetPage));
  app.get('/partners/login', send(loginPage));
  app.get('/partners/portal', send(portalPage));
  app.get('/partners/settings', send(settingsPage));
  app.get('/partners/confirm-email', send(confirmEmailPage));
  app.get('/partners/unsubscribe', send(unsubscribePage));
  app.get('/admin/', send(consolePage));
  app.get('/docs/api', send(apiReferencePage));
  app.get('/mail/', async (req, res) => {
    // Reset and confirmation links are in here: anyone who can read them can take an account.
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      res.status(403).type('html').send(mailboxClosedPage());
      return;
    }
    const messages = await options.models.OutboxMessage.find({}, { to: 1, subject: 1, text: 1, createdAt: 1 })
      .sort({ createdAt: -1 })
      .limit(50)
      .lean();
    res.type('html').send(mailboxPage(messages, Boolean(options.config.smtpUrl)));
  });

  // People get a page, programs a problem+json.
  app.use((req, res, next) => {
    if (req.accepts(['json', 'html']) !== 'html') return next();
    res.status(404).type('html').send(notFoundPage(req.path));
  });
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}

export async function startDemoSite(options: DemoSiteOptions & { port: number }): Promise<DemoSite> {
  const server = await listen(await createDemoSite(options), options.port, options.config.host, 'SITE_PORT');
  return {
    url: urlOf(options.config.host, options.port),
    server,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
  };
}
