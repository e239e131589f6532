// Every route of the collector, in one place: find a feature's router here.
import type { Express } from 'express';
import type { Context } from '../context';
import { databaseGuard } from '../http/database-guard';
import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { bannerRoutes } from './banners';
import { clickRoutes } from './clicks';
import { couponRoutes } from './coupons';
import { healthRoutes } from './health';
import { meRoutes } from './me';
import { partnerRoutes } from './partners';
import { redirectRoutes } from './redirect';
import { refundRoutes } from './refunds';
import { revenueRoutes } from './revenue';
import { sdkRoutes } from './sdk';
import { settingsRoutes } from './settings';
import { signupRoutes } from './signups';
import { stripeRoutes } from './stripe';

export function mountRoutes(app: Express, context: Context): void {
  app.use(healthRoutes(context));
  app.use(sdkRoutes());
  // Everything below needs the database.
  app.use(databaseGuard(context.database));
  app.use(clickRoutes(context));
  app.use(redirectRoutes(context));
  app.use(signupRoutes(context));
  app.use(revenueRoutes(context));
  app.use(refundRoutes(context));
  app.use(partnerRoutes(context));
  app.use(authRoutes(context));
  app.use(couponRoutes(context));
  app.use(settingsRoutes(context));
  app.use(meRoutes(context));
  app.use(bannerRoutes(context));
  app.use(adminRoutes(context));
}

/** Routes that read their body raw (signatures over the exact bytes): mounted before the JSON parser. */
export function mountRawBodyRoutes(app: Express, context: Context): void {
  app.use(stripeRoutes(context));
}
