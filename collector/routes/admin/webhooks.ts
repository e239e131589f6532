// Operators: outbound webhook endpoints, their secrets, test events and delivery log.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { webhookEventTypes } from '../../domain/webhooks';
import { actorOf } from '../../http/auth';
import {
  createEndpoint,
  deleteEndpoint,
  endpointView,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
} from '../../services/webhook-endpoints';
import {
  listOf,
  webhookDeliveryAnswer,
  webhookEndpointAnswer,
  webhookEndpointWithSecretAnswer,
} from '../../http/answers';
import type { Operation } from '../../http/openapi';

const fields = {
  url: z.url({ protocol: /^https?$/ }).max(2048),
  events: z
    .array(z.enum(webhookEventTypes))
    .min(1)
    .transform((events) => [...new Set(events)]),
  description: z.string().trim().max(200).optional(),
};
const createSchema = z.object(fields).strict();
const updateSchema = z
  .object({ ...fields, status: z.enum(['enabled', 'disabled']) })
  .partial()
  .strict();
const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const rotateSchema = z.object({ graceHours: z.number().int().min(0).max(168).default(24) }).strict();

export function adminWebhookRoutes(context: Context): Router {
  const router = Router();

  router.post('/v1/admin/webhooks', async (req, res) => {
    res.status(201).json(await createEndpoint(context, createSchema.parse(req.body), actorOf(req.caller)));
  });

  router.get('/v1/admin/webhooks', async (_req, res) => {
    res.json({ items: await listEndpoints(context) });
  });

  router.get('/v1/admin/webhooks/:id', async (req, res) => {
    res.json(await endpointView(context, await findEndpoint(context, req.params.id), { secret: true }));
  });

  router.patch('/v1/admin/webhooks/:id', async (req, res) => {
    res.json(await updateEndpoint(context, req.params.id, updateSchema.parse(req.body), actorOf(req.caller)));
  });

  router.delete('/v1/admin/webhooks/:id', async (req, res) => {
    await deleteEndpoint(context, req.params.id, actorOf(req.caller));
    res.status(204).end();
  });

  router.post('/v1/admin/webhooks/:id/rotate-secret', async (req, res) => {
    const { graceHours } = rotateSchema.parse(req.body ?? {});
    res.json(await rotateSecret(context, req.params.id, graceHours, actorOf(req.caller)));
  });

  router.post('/v1/admin/webhooks/:id/test', async (req, res) => {
    res.status(202).json(await sendTestEvent(context, req.params.id));
  });

  router.get('/v1/admin/webhooks/:id/deliveries', async (req, res) => {
    const { limit } = deliveriesQuery.parse(req.query);
    await findEndpoint(context, req.params.id);
    res.json({ items: await listDeliveries(context, req.params.id, limit) });
  });

  return router;
}

export const adminWebhookDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/admin/webhooks',
    summary: 'Register a webhook endpoint for some events.',
    auth: 'admin',
    body: createSchema,
    responses: { '201': 'The endpoint with its signing secret.' },
    answer: webhookEndpointWithSecretAnswer,
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks',
    summary: 'List webhook endpoints.',
    auth: 'admin',
    responses: { '200': 'Endpoints.' },
    answer: listOf(webhookEndpointAnswer),
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/:id',
    summary: 'One webhook endpoint.',
    auth: 'admin',
    responses: { '200': 'The endpoint.' },
    answer: webhookEndpointWithSecretAnswer,
  },
  {
    method: 'patch',
    path: '/v1/admin/webhooks/:id',
    summary: 'Change URL, events, description, or enable/disable.',
    auth: 'admin',
    body: updateSchema,
    responses: { '200': 'The endpoint.' },
    answer: webhookEndpointAnswer,
  },
  {
    method: 'delete',
    path: '/v1/admin/webhooks/:id',
    summary: 'Delete a webhook endpoint.',
    auth: 'admin',
    responses: { '204': 'Deleted.' },
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/:id/rotate-secret',
    summary: 'New signing secret; the old one stays valid for graceHours.',
    auth: 'admin',
    body: rotateSchema,
    responses: { '200': 'The new secret.' },
    answer: webhookEndpointWithSecretAnswer,
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/:id/test',
    summary: 'Send a test event.',
    auth: 'admin',
    responses: { '202': 'Queued.' },
    answer: z.strictObject({ deliveryId: z.string(), eventId: z.string() }),
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/:id/deliveries',
    summary: 'The delivery log with status codes.',
    auth: 'admin',
    query: deliveriesQuery,
    responses: { '200': 'Deliveries.' },
    answer: listOf(webhookDeliveryAnswer),
  },
];
