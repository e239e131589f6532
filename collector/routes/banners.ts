// Banners for the logged-in partner, with paste-ready HTML.
import { z } from 'zod';
import { Router } from 'express';
import type { Context } from '../context';
import { bannerHtml, bannerLink } from '../domain/banner-html';
import { requirePartner } from '../http/auth';
import { listOf } from '../http/answers';
import type { Operation } from '../http/openapi';

export function bannerRoutes(context: Context): Router {
  const router = Router();
  router.get('/v1/banners', requirePartner(context), async (req, res) => {
    const partnerId = req.caller!.kind === 'partner' ? req.caller!.partnerId : '';
    const banners = await context.models.Banner.find({ active: true }).sort({ _id: 1 }).lean();
    res.json({
      items: banners.map((banner) => ({
        bannerId: banner._id,
        name: banner.name,
        imageUrl: new URL(banner.imageUrl, context.config.siteUrl).href,
        width: banner.width,
        height: banner.height,
        link: bannerLink(context.config.siteUrl, partnerId, banner),
        html: bannerHtml(context.config.siteUrl, partnerId, banner),
      })),
    });
  });
  return router;
}

export const bannerDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/banners',
    summary: "Active banners with the partner's link and HTML.",
    auth: 'partner',
    responses: { '200': 'Banners.' },
    answer: listOf(
      z.strictObject({
        bannerId: z.string(),
        name: z.string(),
        imageUrl: z.string(),
        width: z.number().int(),
        height: z.number().int(),
        link: z.string(),
        html: z.string(),
      }),
    ),
  },
];
