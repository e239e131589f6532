// The operator API: everything under /v1/admin needs admin credentials (ASHOP_ADMIN_KEY, an
// admin API key, or an admin JWT from /v1/auth/login).
import { Router } from 'express';
import type { Context } from '../../context';
import { requireAdmin } from '../../http/auth';
import { idempotencyKeys } from '../../http/idempotency';
import { adminBannerRoutes } from './banners';
import { adminCouponRoutes } from './coupons';
import { adminPartnerRecordRoutes } from './partner-records';
import { adminPartnerRoutes } from './partners';
import { adminPayoutRoutes } from './payouts';
import { adminRecordRoutes } from './records';
import { adminReportRoutes } from './reports';
import { adminWebhookRoutes } from './webhooks';

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
