// Coupon codes outside the operator API: the merchant's checkout asks whether a code is valid
// (server key), and a partner lists their codes and requests new ones (approved by an operator).
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { couponFields, couponReasons } from '../domain/coupon';
import { pageQuery } from '../domain/cursor';
import { actorOf, requirePartner, requireServerKey } from '../http/auth';
import { HttpProblem } from '../http/problem';
import { checkCouponCode, createCoupon, listCoupons } from '../services/coupons';
import { couponAnswer, couponUseFields, pageOf } from '../http/answers';
import type { Operation } from '../http/openapi';

const requestBody = z
  .object({
    code: couponFields.code,
    discount: couponFields.details.discount,
    description: couponFields.details.description,
  })
  .strict();

const listQuery = z.object(pageQuery);

const partnerOf = (req: Request) => {
  if (req.caller?.kind !== 'partner')
    throw new HttpProblem(403, 'This endpoint needs a partner login.', { slug: 'forbidden' });
  return req.caller.partnerId;
};

export function couponRoutes(context: Context): Router {
  const router = Router();

  // Any text may be asked about: what is no code is an unknown one (a reason, not an error).
  router.get('/v1/coupons/:code', requireServerKey(context), async (req, res) => {
    const check = await checkCouponCode(context, req.params.code as string, new Date());
    res.json(check);
  });

  router.get('/v1/me/coupons', requirePartner(context), async (req, res) => {
    const { limit, cursor } = listQuery.parse(req.query);
    const page = await listCoupons(context, { partnerId: partnerOf(req) }, { limit, cursor });
    res.json({
      items: page.items.map(({ createdBy: _by, decidedBy: _decider, ...coupon }) => coupon),
      nextCursor: page.nextCursor,
    });
  });

  router.post('/v1/me/coupons', requirePartner(context), async (req, res) => {
    const input = requestBody.parse(req.body);
    const partnerId = partnerOf(req);
    res
      .status(201)
      .json(await createCoupon(context, { ...input, partnerId, actor: actorOf(req.caller), status: 'pending' }));
  });

  return router;
}

export const couponDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/coupons/:code',
    summary: 'Check a coupon code at checkout: valid or the reason not.',
    auth: 'server-key',
    responses: { '200': 'The check.' },
    answer: z.union([
      z.strictObject({ valid: z.literal(true), partnerId: z.string(), discount: z.string().optional() }),
      z.strictObject({ valid: z.literal(false), reason: z.enum(couponReasons) }),
    ]),
  },
  {
    method: 'get',
    path: '/v1/me/coupons',
    summary:
      "The partner's coupon codes by code with signups and customers, key-paged (`limit`, `cursor` from `nextCursor`).",
    auth: 'partner',
    query: listQuery,
    responses: { '200': 'A page of coupons and the next cursor.' },
    answer: pageOf(couponAnswer.omit({ createdBy: true, decidedBy: true }).extend(couponUseFields)),
  },
  {
    method: 'post',
    path: '/v1/me/coupons',
    summary: 'Request a coupon code (pending until an operator decides).',
    auth: 'partner',
    body: requestBody,
    responses: { '201': 'The pending coupon.' },
    answer: couponAnswer,
  },
];
