// Operators' webhook endpoints: create (the secret is shown then), list, update, delete, rotate the
// secret with a grace period, enable again after failures, send a test event, read the delivery log.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors';
import { testEventType, type WebhookEventType } from '../domain/webhooks';
import type { Models } from '../models';
import type { WebhookEndpointDoc } from '../models/webhook-endpoint';
import { audit } from './audit';
import { failureStreak, newStreakId, queueDelivery } from './webhook-dispatcher';

type Deps = { models: Models };
type Endpoint = WebhookEndpointDoc & { _id: string };

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** What operators see of an endpoint; the secret only where asked for. */
export async function endpointView({ models }: Deps, endpoint: Endpoint, options: { secret?: boolean } = {}) {
  return {
    id: endpoint._id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description ?? null,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason ?? null,
    consecutiveFailures: await failureStreak(models, endpoint),
    ...(options.secret ? { secret: endpoint.secret } : {}),
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt ?? null,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

export async function findEndpoint({ models }: Deps, id: string): Promise<Endpoint> {
  const endpoint = await models.WebhookEndpoint.findById(id).lean();
  if (!endpoint) throw new DomainError('not-found', `No webhook endpoint ${id}.`, 'webhook-not-found');
  return endpoint;
}

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
}

export async function createEndpoint(deps: Deps, input: EndpointInput, actor: string) {
  const now = new Date();
  const id = `we_${randomBytes(8).toString('hex')}`;
  await deps.models.WebhookEndpoint.create({
    _id: id,
    ...input,
    secret: newSecret(),
    status: 'enabled',
    createdAt: now,
    updatedAt: now,
  });
  await audit(deps, { actor, action: 'webhook.create', subject: `webhook:${id}`, details: { ...input } });
  return endpointView(deps, await findEndpoint(deps, id), { secret: true });
}

export async function listEndpoints(deps: Deps) {
  const endpoints = await deps.models.WebhookEndpoint.find().sort({ createdAt: 1, _id: 1 }).lean();
  return Promise.all(endpoints.map((endpoint) => endpointView(deps, endpoint)));
}

export async function updateEndpoint(
  deps: Deps,
  id: string,
  changes: Partial<EndpointInput> & { status?: 'enabled' | 'disabled' | undefined },
  actor: string,
) {
  const before = await findEndpoint(deps, id);
  const set: Record<string, unknown> = { updatedAt: new Date() };
  for (const [field, value] of Object.entries(changes)) if (value !== undefined) set[field] = value;
  const unset: Record<string, 1> = {};
  if (changes.status === 'enabled') {
    set.streak = newStreakId();
    unset.disabledReason = 1;
  }
  if (changes.status === 'disabled' && before.status !== 'disabled') set.disabledReason = `disabled by ${actor}`;
  await deps.models.WebhookEndpoint.updateOne(
    { _id: id },
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
  );
  await audit(deps, { actor, action: 'webhook.update', subject: `webhook:${id}`, details: { ...changes } });
  return endpointView(deps, await findEndpoint(deps, id));
}

export async function deleteEndpoint(deps: Deps, id: string, actor: string): Promise<void> {
  const result = await deps.models.WebhookEndpoint.deleteOne({ _id: id });
  if (result.deletedCount === 0) throw new DomainError('not-found', `No webhook endpoint ${id}.`, 'webhook-not-found');
  await audit(deps, { actor, action: 'webhook.delete', subject: `webhook:${id}` });
}

/** A new secret; the old one keeps signing (a second v1) for `graceHours`, so receivers can switch. */
export async function rotateSecret(deps: Deps, id: string, graceHours: number, actor: string) {
  const endpoint = await findEndpoint(deps, id);
  const now = new Date();
  await deps.models.WebhookEndpoint.updateOne(
    { _id: id },
    {
      $set: {
        secret: newSecret(),
        previousSecret: endpoint.secret,
        previousSecretExpiresAt: new Date(now.getTime() + graceHours * 3_600_000),
        updatedAt: now,
      },
    },
  );
  await audit(deps, { actor, action: 'webhook.rotate-secret', subject: `webhook:${id}`, details: { graceHours } });
  return endpointView(deps, await findEndpoint(deps, id), { secret: true });
}

/** Queues a `webhook.test` event for this endpoint only (sent even while it is disabled). */
export async function sendTestEvent(deps: Deps, id: string) {
  await findEndpoint(deps, id);
  const now = new Date();
  const eventId = `evt_test_${randomBytes(12).toString('hex')}`;
  const body = JSON.stringify({
    id: eventId,
    type: testEventType,
    created: Math.floor(now.getTime() / 1000),
    data: { endpointId: id },
  });
  const deliveryId = `${eventId}:${id}`;
  await queueDelivery(
    deps.models,
    { _id: deliveryId, eventId, endpointId: id, type: testEventType, body, eventAt: now },
    now,
  );
  return { deliveryId, eventId };
}

/** The delivery log of an endpoint, newest first. */
export async function listDeliveries({ models }: Deps, id: string, limit: number) {
  const deliveries = await models.WebhookDelivery.find({ endpointId: id }, { body: 0 })
    .sort({ createdAt: -1, _id: 1 })
    .limit(limit)
    .lean();
  return deliveries.map((delivery) => ({
    id: delivery._id,
    eventId: delivery.eventId,
    type: delivery.type,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.log.at(-1)?.statusCode ?? null,
    log: delivery.log,
    createdAt: delivery.createdAt,
    deliveredAt: delivery.deliveredAt ?? null,
  }));
}
