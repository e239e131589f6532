// Operators: coupon codes of partners: create, list (by partner, JSON or CSV with signups and
// customers per code), edit, deactivate, and decide partners' requests.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { couponFields, couponStatuses } from '../../domain/coupon';
import { toCsv } from '../../domain/csv';
import { partnerIdField } from '../../domain/validation';
import { actorOf } from '../../http/auth';
import { couponCounts, createCoupon, decideCoupon, listCoupons, updateCoupon } from '../../services/coupons';
import { couponAnswer, couponUseFields, listOf } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const createBody = z.object({ code: couponFields.code, partnerId: partnerIdField, ...couponFields.details }).strict();
const listQuery = z.object({
  partnerId: partnerIdField.optional(),
  status: z.enum(couponStatuses).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
const updateBody = z
  .object({
    endsAt: couponFields.details.endsAt.unwrap().nullable().optional(),
    discount: couponFields.details.discount.unwrap().nullable().optional(),
    description: couponFields.details.description.unwrap().nullable().optional(),
    status: z.enum(['active', 'inactive']).optional(),
  })
  .strict();
const decisionBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

export function adminCouponRoutes(context: Context): Router {
  const router = Router();

  router.post('/v1/admin/coupons', async (req, res) => {
    const input = createBody.parse(req.body);
    res.status(201).json(await createCoupon(context, { ...input, actor: actorOf(req.caller), status: 'active' }));
  });

  router.get('/v1/admin/coupons', async (req, res) => {
    const query = listQuery.parse(req.query);
    const coupons = await listCoupons(context, query);
    const counts = await couponCounts(context, coupons);
    const items = coupons.map((coupon) => ({ ...coupon, ...counts.get(coupon.code)! }));
    if (query.format === 'json') {
      res.json({ items });
      return;
    }
    const columns = ['code', 'partnerId', 'status', 'endsAt', 'discount', 'signups', 'customers'] as const;
    const csv = toCsv(
      [...columns],
      items.map((item) =>
        columns.map((column) => {
          const value = item[column];
          return value instanceof Date ? value.toISOString() : (value ?? '');
        }),
      ),
      { spreadsheetSafe: true },
    );
    res.type('text/csv; charset=utf-8').attachment('coupons.csv').send(csv);
  });

  router.patch('/v1/admin/coupons/:code', async (req, res) => {
    const changes = updateBody.parse(req.body);
    res.json(await updateCoupon(context, req.params.code, changes, actorOf(req.caller)));
  });

  router.post('/v1/admin/coupons/:code/deactivate', async (req, res) => {
    res.json(await updateCoupon(context, req.params.code, { status: 'inactive' }, actorOf(req.caller)));
  });

  for (const decision of ['approve', 'reject'] as const)
    router.post(`/v1/admin/coupons/:code/${decision}`, async (req, res) => {
      const { reason } = decisionBody.parse(req.body ?? {});
      res.json(await decideCoupon(context, req.params.code, decision, actorOf(req.caller), reason));
    });

  return router;
}

export const adminCouponDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/admin/coupons',
    summary: 'Create an active coupon code for a partner.',
    auth: 'admin',
    body: createBody,
    responses: { '201': 'The coupon.' },
    answer: couponAnswer,
  },
  {
    method: 'get',
    path: '/v1/admin/coupons',
    summary: 'Coupons with signups and customers, as JSON or CSV.',
    auth: 'admin',
    query: listQuery,
    responses: { '200': 'Coupons.' },
    answer: listOf(couponAnswer.extend(couponUseFields)),
    produces: 'text/csv',
  },
  {
    method: 'patch',
    path: '/v1/admin/coupons/:code',
    summary: 'Edit end date, discount, description or status.',
    auth: 'admin',
    body: updateBody,
    responses: { '200': 'The coupon.' },
    answer: couponAnswer,
  },
  {
    method: 'post',
    path: '/v1/admin/coupons/:code/deactivate',
    summary: 'Deactivate a coupon.',
    auth: 'admin',
    responses: { '200': 'The coupon.' },
    answer: couponAnswer,
  },
  {
    method: 'post',
    path: '/v1/admin/coupons/:code/approve',
    summary: "Approve a partner's coupon request.",
    auth: 'admin',
    body: decisionBody,
    responses: { '200': 'The coupon.' },
    answer: couponAnswer,
  },
  {
    method: 'post',
    path: '/v1/admin/coupons/:code/reject',
    summary: "Reject a partner's coupon request.",
    auth: 'admin',
    body: decisionBody,
    responses: { '200': 'The coupon.' },
    answer: couponAnswer,
  },
];
