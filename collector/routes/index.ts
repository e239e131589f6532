// Every route of the collector, in one place: find a feature's router here.
import type { Express } from 'express';
import type { Context } from '../context';
import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { bannerRoutes } from './banners';
import { healthRoutes } from './health';
import { meRoutes } from './me';
import { partnerRoutes } from './partners';
import { sdkRoutes } from './sdk';

export function mountRoutes(app: Express, context: Context): void {
  app.use(healthRoutes(context));
  app.use(sdkRoutes());
  app.use(partnerRoutes(context));
  app.use(authRoutes(context));
  app.use(meRoutes(context));
  app.use(bannerRoutes(context));
  app.use(adminRoutes(context));
}
