// Operators: banners CRUD. The banner ID is the `a_bid` partners' links carry.
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { pageQuery } from '../../domain/cursor';
import { bannerIdField } from '../../domain/validation';
import { actorOf } from '../../http/auth';
import { HttpProblem } from '../../http/problem';
import { audit } from '../../services/audit';
import { isDuplicateKey } from '../../services/duplicates';
import { bannerView, listBanners } from '../../services/records';
import { bannerAnswer, pageOf } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const fields = {
  name: z.string().trim().min(1).max(120),
  imageUrl: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine((value) => /^(https?:\/\/|\/)/.test(value), 'must be an http(s) URL or a path starting with /'),
  width: z.number().int().min(1).max(4000),
  height: z.number().int().min(1).max(4000),
  targetPath: z
    .string()
    .regex(/^\/[^\s#]*$/, 'must be a path on the site starting with / (no #)')
    .max(500),
  altText: z.string().trim().min(1).max(200),
  active: z.boolean(),
};
const createSchema = z
  .object({
    bannerId: bannerIdField.default(() => `b_${randomBytes(4).toString('hex')}`),
    ...fields,
    targetPath: fields.targetPath.default('/'),
    active: fields.active.default(true),
  })
  .strict();
const updateSchema = z.object(fields).partial().strict();

const listQuery = z.object(pageQuery).strict();

export function adminBannerRoutes(context: Context): Router {
  const { models } = context;
  const router = Router();

  router.get('/v1/admin/banners', async (req, res) => {
    res.json(await listBanners(context, listQuery.parse(req.query)));
  });

  router.post('/v1/admin/banners', async (req, res) => {
    const { bannerId, ...banner } = createSchema.parse(req.body);
    try {
      await models.Banner.create({ _id: bannerId, ...banner });
    } catch (error) {
      if (isDuplicateKey(error)) throw new HttpProblem(409, `Banner ${bannerId} exists.`, { slug: 'banner-exists' });
      throw error;
    }
    await audit(context, {
      actor: actorOf(req.caller),
      action: 'banner.create',
      subject: `banner:${bannerId}`,
      details: banner,
    });
    res.status(201).json(bannerView((await models.Banner.findById(bannerId).lean())!));
  });

  router.patch('/v1/admin/banners/:id', async (req, res) => {
    const changes = updateSchema.parse(req.body);
    const result = await models.Banner.updateOne({ _id: req.params.id }, { $set: changes });
    if (result.matchedCount === 0)
      throw new HttpProblem(404, `No banner ${req.params.id}.`, { slug: 'banner-not-found' });
    await audit(context, {
      actor: actorOf(req.caller),
      action: 'banner.update',
      subject: `banner:${req.params.id}`,
      details: changes,
    });
    res.json(bannerView((await models.Banner.findById(req.params.id).lean())!));
  });

  router.delete('/v1/admin/banners/:id', async (req, res) => {
    const result = await models.Banner.deleteOne({ _id: req.params.id });
    if (result.deletedCount === 0)
      throw new HttpProblem(404, `No banner ${req.params.id}.`, { slug: 'banner-not-found' });
    await audit(context, { actor: actorOf(req.caller), action: 'banner.delete', subject: `banner:${req.params.id}` });
    res.status(204).end();
  });

  return router;
}

export const adminBannerDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/banners',
    summary: 'Banners by ID, with cursor pagination.',
    auth: 'admin',
    query: listQuery,
    responses: { '200': 'A page and the next cursor.' },
    answer: pageOf(bannerAnswer),
  },
  {
    method: 'post',
    path: '/v1/admin/banners',
    summary: 'Create a banner.',
    auth: 'admin',
    body: createSchema,
    responses: { '201': 'The banner.' },
    answer: bannerAnswer,
  },
  {
    method: 'patch',
    path: '/v1/admin/banners/:id',
    summary: 'Update a banner.',
    auth: 'admin',
    body: updateSchema,
    responses: { '200': 'The banner.' },
    answer: bannerAnswer,
  },
  {
    method: 'delete',
    path: '/v1/admin/banners/:id',
    summary: 'Delete a banner.',
    auth: 'admin',
    responses: { '204': 'Deleted.' },
  },
];
