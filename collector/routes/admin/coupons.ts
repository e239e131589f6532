// Operators: coupon codes of partners: create, list (by partner, key-paged JSON or the whole CSV,
// with signups and customers per code), edit, deactivate, and decide partners' requests.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { couponFields, couponStatuses } from '../../domain/coupon';
import { csvRows } from '../../domain/csv';
import { pageQuery } from '../../domain/cursor';
import { partnerIdField } from '../../domain/validation';
import { actorOf } from '../../http/auth';
import { allCoupons, createCoupon, decideCoupon, listCoupons, updateCoupon } from '../../services/coupons';
import { couponAnswer, couponUseFields, pageOf } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const createBody = z.object({ code: couponFields.code, partnerId: partnerIdField, ...couponFields.details }).strict();
const listQuery = z.object({
  partnerId: partnerIdField.optional(),
  status: z.enum(couponStatuses).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  ...pageQuery,
});
const csvColumns = ['code', 'partnerId', 'status', 'endsAt', 'discount', 'signups', 'customers'] as const;
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
    const { format, limit, cursor, ...filter } = listQuery.parse(req.query);
    if (format === 'json') {
      res.json(await listCoupons(context, filter, { limit, cursor }));
      return;
    }
    // Every code, written a page at a time.
    res.type('text/csv; charset=utf-8').attachment('coupons.csv');
    res.write(csvRows([csvColumns]));
    for await (const coupons of allCoupons(context, filter))
      res.write(
        csvRows(
          coupons.map((coupon) => csvColumns.map((column) => coupon[column])),
          { spreadsheetSafe: true },
        ),
      );
    res.end();
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
    summary:
      'Coupons by code with signups and customers: JSON key-paged (`limit`, `cursor` from `nextCursor`), or CSV (format=csv) of every code.',
    auth: 'admin',
    query: listQuery,
    responses: { '200': 'A page of coupons and the next cursor (or the CSV).' },
    answer: pageOf(couponAnswer.extend(couponUseFields)),
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
