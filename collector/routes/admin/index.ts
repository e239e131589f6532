// The operator API: everything under /v1/admin needs admin credentials (ASHOP_ADMIN_KEY, an
// admin API key, or an admin JWT from /v1/auth/login).
import { Router } from 'express';
import type { Context } from '../../context';
import { requireAdmin } from '../../http/auth';
import { idempotencyKeys } from '../../http/idempotency';
import type { Operation } from '../../http/openapi';
import { adminBannerDocs, adminBannerRoutes } from './banners';
import { adminCouponDocs, adminCouponRoutes } from './coupons';
import { adminPartnerRecordDocs, adminPartnerRecordRoutes } from './partner-records';
import { adminPartnerDocs, adminPartnerRoutes } from './partners';
import { adminPayoutDocs, adminPayoutRoutes } from './payouts';
import { adminRecordDocs, adminRecordRoutes } from './records';
import { adminReportDocs, adminReportRoutes } from './reports';
import { adminWebhookDocs, adminWebhookRoutes } from './webhooks';

export function adminRoutes(context: Context): Router {
  const router = Router();
  router.use('/v1/admin', requireAdmin(context), idempotencyKeys(context));
  router.use(adminPartnerRoutes(context));
  router.use(adminPartnerRecordRoutes(context));
  router.use(adminBannerRoutes(context));
  router.use(adminReportRoutes(context));
  router.use(adminPayoutRoutes(context));
  router.use(adminWebhookRoutes(context));
  router.use(adminRecordRoutes(context));
  router.use(adminCouponRoutes(context));
  return router;
}

export const adminDocs: Operation[] = [
  ...adminPartnerDocs,
  ...adminPartnerRecordDocs,
  ...adminBannerDocs,
  ...adminReportDocs,
  ...adminPayoutDocs,
  ...adminWebhookDocs,
  ...adminRecordDocs,
  ...adminCouponDocs,
];
