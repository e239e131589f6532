// Every route of the collector, in one place: find a feature's router here.
import type { Express } from 'express';
import type { Context } from '../context';
import { healthRoutes } from './health';
import { sdkRoutes } from './sdk';

export function mountRoutes(app: Express, context: Context): void {
  app.use(healthRoutes(context));
  app.use(sdkRoutes());
}
