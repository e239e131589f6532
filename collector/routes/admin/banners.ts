// Operators: banners CRUD. The banner ID is the `a_bid` partners' links carry.
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { bannerIdField } from '../../domain/validation';
import { actorOf } from '../../http/auth';
import { HttpProblem } from '../../http/problem';
import { audit } from '../../services/audit';
import { isDuplicateKey } from '../../services/duplicates';
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

const view = ({ _id, ...banner }: { _id: string } & Record<string, unknown>) => ({ bannerId: _id, ...banner });

export function adminBannerRoutes(context: Context): Router {
  const { models } = context;
  const router = Router();

  router.get('/v1/admin/banners', async (_req, res) => {
    const banners = await models.Banner.find().sort({ _id: 1 }).lean();
    res.json({ items: banners.map(view) });
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
    res.status(201).json(view((await models.Banner.findById(bannerId).lean())!));
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
    res.json(view((await models.Banner.findById(req.params.id).lean())!));
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
    summary: 'List banners.',
    auth: 'admin',
    responses: { '200': 'Banners.' },
  },
  {
    method: 'post',
    path: '/v1/admin/banners',
    summary: 'Create a banner.',
    auth: 'admin',
    body: createSchema,
    responses: { '201': 'The banner.' },
  },
  {
    method: 'patch',
    path: '/v1/admin/banners/:id',
    summary: 'Update a banner.',
    auth: 'admin',
    body: updateSchema,
    responses: { '200': 'The banner.' },
  },
  {
    method: 'delete',
    path: '/v1/admin/banners/:id',
    summary: 'Delete a banner.',
    auth: 'admin',
    responses: { '204': 'Deleted.' },
  },
];
