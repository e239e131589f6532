// GET /r/:aid?bid=&to=: the partner link that works without the SDK. Records the click and sends
// the visitor on with `#a_aid=…&a_bid=…&a_cid=…`, which the SDK on the page picks up (reusing the
// click ID, so no second click is sent). Only the site's and allowed origins are targets: no open
// redirect. Links of partners that are not live (unknown, frozen, disabled: "links dead") still
// take the visitor to the page, the click is stored as not counted, and no partner parameters
// are added, so no referral is kept for them.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { redirectTarget, withReferralHash } from '../domain/tracking-http';
import { bannerIdField, partnerIdField, subIdField } from '../domain/validation';
import { HttpProblem } from '../http/problem';
import type { Operation } from '../http/openapi';

const query = z.object({
  bid: bannerIdField.optional(),
  data1: subIdField.optional(),
  data2: subIdField.optional(),
  to: z.string().max(2048).optional(),
});

export function redirectRoutes(context: Context): Router {
  const router = Router();
  router.get('/r/:aid', async (req, res) => {
    const aid = partnerIdField.safeParse(req.params.aid);
    if (!aid.success)
      throw new HttpProblem(400, 'The partner ID in the link is malformed.', {
        slug: 'invalid-request',
        errors: [{ field: 'aid', message: aid.error.issues[0]!.message }],
      });
    const params = query.parse(req.query);
    const target = redirectTarget(params.to, context.config.siteUrl, context.config.allowedOrigins);
    if (!target) {
      throw new HttpProblem(400, 'The link target must be a path on the site or a URL on an allowed origin.', {
        slug: 'redirect-not-allowed',
        errors: [{ field: 'to', message: 'not an allowed target' }],
      });
    }
    const cid = randomUUID();
    const outcome = await context.tracking.clicks.submit({
      cid,
      partnerId: aid.data,
      bid: params.bid,
      data1: params.data1,
      data2: params.data2,
      url: target.href,
      referrer: req.get('referer'),
      ip: req.ip ?? '',
      userAgent: req.get('user-agent') ?? '',
      occurredAt: new Date(),
      redirect: true,
    });
    const location = outcome.partnerLive
      ? withReferralHash(target, {
          a_aid: aid.data,
          a_bid: params.bid,
          a_cid: cid,
          data1: params.data1,
          data2: params.data2,
        })
      : target.href;
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, location);
  });
  return router;
}

export const redirectDocs: Operation[] = [
  {
    method: 'get',
    path: '/r/:aid',
    summary: 'Partner link without the SDK: records the click and redirects to the site.',
    auth: 'public',
    query,
    responses: { '302': 'Redirect to the target page.' },
  },
];
