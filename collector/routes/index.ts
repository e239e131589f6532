// Every route of the collector, in one place: find a feature's router here.
import type { Express } from 'express';
import type { Context } from '../context';
import { databaseGuard } from '../http/database-guard';
import { openApiOperation, openApiRoute, type Operation } from '../http/openapi';
import { adminDocs, adminRoutes } from './admin';
import { authDocs, authRoutes } from './auth';
import { bannerDocs, bannerRoutes } from './banners';
import { clickDocs, clickRoutes } from './clicks';
import { couponDocs, couponRoutes } from './coupons';
import { healthDocs, healthRoutes } from './health';
import { meDocs, meRoutes } from './me';
import { partnerDocs, partnerRoutes } from './partners';
import { performanceDocs, performanceRoutes } from './performance';
import { redirectDocs, redirectRoutes } from './redirect';
import { refundDocs, refundRoutes } from './refunds';
import { revenueDocs, revenueRoutes } from './revenue';
import { sdkDocs, sdkRoutes } from './sdk';
import { settingsDocs, settingsRoutes } from './settings';
import { signupDocs, signupRoutes } from './signups';
import { stripeDocs, stripeRoutes } from './stripe';

/** Every operation the collector serves, as /openapi.json describes them. */
export const apiOperations: readonly Operation[] = [
  ...healthDocs,
  ...sdkDocs,
  openApiOperation,
  ...clickDocs,
  ...redirectDocs,
  ...signupDocs,
  ...revenueDocs,
  ...refundDocs,
  ...partnerDocs,
  ...authDocs,
  ...couponDocs,
  ...settingsDocs,
  ...meDocs,
  ...performanceDocs,
  ...bannerDocs,
  ...adminDocs,
  ...stripeDocs,
];

export function mountRoutes(app: Express, context: Context): void {
  app.use(healthRoutes(context));
  app.use(sdkRoutes());
  app.use(openApiRoute(apiOperations, context.config.publicUrl));
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
  app.use(performanceRoutes(context));
  app.use(bannerRoutes(context));
  app.use(adminRoutes(context));
}

/** Routes that read their body raw (signatures over the exact bytes): mounted before the JSON parser. */
export function mountRawBodyRoutes(app: Express, context: Context): void {
  app.use(stripeRoutes(context));
}
