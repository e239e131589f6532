// Delivers webhook events at least once: fans each stored event out into one delivery per
// subscribed endpoint (unique `<event>:<endpoint>`), then sends the due deliveries, each attempt
// under a lease taken by a unique insert (`<delivery>:<attempt>`), so several collector processes
// never send one delivery at once. Failures are retried with exponential backoff for 3 days;
// an endpoint that keeps failing is disabled until an operator enables it again.
import { randomBytes } from 'node:crypto';
import { nextAttemptAt, signatureHeader, testEventType } from '../domain/webhooks';
import type { Logger } from '../logger';
import type { Models } from '../models';
import { claimOnce } from './claim-once';
import { isDuplicateKey } from './duplicates';
import { awaitedFactData } from './webhook-events';

export interface DispatcherOptions {
  /** Pause between passes while running (default 1 s). */
  pollMs?: number;
  /** One attempt's HTTP timeout (default 10 s). */
  timeoutMs?: number;
  /** First retry delay, doubling per attempt (default 30 s). */
  retryBaseMs?: number;
  /** Consecutive failed attempts that disable an endpoint (default 20). */
  disableAfter?: number;
  /** A lease older than this belongs to a dead process (default 2 minutes; must exceed timeoutMs). */
  leaseMs?: number;
  /** Deliveries sent at once by this process (default 8). */
  concurrency?: number;
  /** How long an event recorded before its fact waits for it before being dropped (default 10 minutes). */
  factWaitMs?: number;
  /** Test seam: runs after the lease is taken, before the request is sent. */
  beforeSend?: (deliveryId: string, attempt: number) => Promise<void>;
  /** Test seam: runs after a failed attempt is logged, before it is counted against the endpoint. */
  beforeCount?: (deliveryId: string, attempt: number) => Promise<void>;
}

export interface WebhookDispatcher {
  /** One pass: fan out stored events, then send what is due. Resolves when the pass is done. */
  runOnce(now?: Date): Promise<{ fannedOut: number; attempted: number }>;
  start(): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** Creates the delivery if new; makes sure an unfinished one is queued. */
export async function queueDelivery(
  models: Models,
  delivery: { _id: string; eventId: string; endpointId: string; type: string; body: string; eventAt: Date },
  now: Date,
): Promise<void> {
  try {
    await models.WebhookDelivery.create({ ...delivery, status: 'pending', attempts: 0, log: [], createdAt: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await models.WebhookDelivery.findById(delivery._id, { status: 1 }).lean();
    if (existing?.status !== 'pending') return;
  }
  try {
    await models.WebhookDue.create({ _id: delivery._id, dueAt: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

const strikeId = (endpointId: string, streak: string, n: number) => `${endpointId}:${streak}:${n}`;
/** Endpoints made before streaks existed are in streak "0". */
const streakOf = (endpoint: { streak?: string | null | undefined }) => endpoint.streak ?? '0';

/**
 * The `_id` range `[from, to)` of the strikes of an endpoint's current streak (`:` + 1 is `;`):
 * every strike outside it belongs to a streak that ended, and decides nothing any more.
 */
export function currentStrikes(endpoint: { _id: string; streak?: string | null | undefined }) {
  const streak = `${endpoint._id}:${streakOf(endpoint)}`;
  return { from: `${streak}:`, to: `${streak};` };
}

/**
 * How many failures in a row the endpoint has now: the slots of its current streak taken, read by
 * key from 1 until one is free. Not stored on the endpoint: on the embedded engine an update
 * rewrites the whole document, so a counter written there beside the failure that disables the
 * endpoint could put `enabled` back.
 */
export async function failureStreak(
  models: Models,
  endpoint: { _id: string; streak?: string | null | undefined },
): Promise<number> {
  let n = 0;
  while (await models.WebhookStrike.exists({ _id: strikeId(endpoint._id, streakOf(endpoint), n + 1) })) n += 1;
  return n;
}

/**
 * Counts a failure in the endpoint's streak: takes the lowest free slot by a unique insert and
 * answers its number. Slots are taken in order (one is tried only once those below are taken), so
 * the number is the streak's length, exact under any number of concurrent dispatchers.
 */
async function takeStrike(
  models: Models,
  endpoint: { _id: string; streak?: string | null | undefined },
  deliveryId: string,
  at: Date,
): Promise<number> {
  // Keyed reads skip the slots already taken without a failed insert each.
  for (let n = (await failureStreak(models, endpoint)) + 1; ; n++) {
    const _id = strikeId(endpoint._id, streakOf(endpoint), n);
    try {
      await models.WebhookStrike.create({ _id, endpointId: endpoint._id, deliveryId, at });
      return n;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

/** A new failure streak's ID (after a success, or when an operator enables the endpoint again). */
export const newStreakId = () => randomBytes(6).toString('hex');

async function newStreak(models: Models, endpointId: string): Promise<void> {
  await models.WebhookEndpoint.updateOne({ _id: endpointId }, { $set: { streak: newStreakId() } });
}

export function createWebhookDispatcher(
  deps: { models: Models; logger: Logger },
  options: DispatcherOptions = {},
): WebhookDispatcher {
  const { models, logger } = deps;
  const pollMs = options.pollMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const disableAfter = options.disableAfter ?? 20;
  const leaseMs = options.leaseMs ?? 120_000;
  const concurrency = options.concurrency ?? 8;
  const factWaitMs = options.factWaitMs ?? 600_000;
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;

  async function fanOut(now: Date): Promise<number> {
    const events = await models.WebhookEvent.find().limit(500).lean();
    if (events.length === 0) return 0;
    const endpoints = await models.WebhookEndpoint.find({ status: 'enabled' }, { events: 1 }).lean();
    let fannedOut = 0;
    for (const event of events) {
      let data = event.data as unknown;
      if (event.fact) {
        data = await awaitedFactData(models, { fact: event.fact, data });
        if (data === undefined) {
          // Its process died before the fact (or is slower than anyone waits): the fact never came.
          if (now.getTime() - event.createdAt.getTime() > factWaitMs)
            await models.WebhookEvent.deleteOne({ _id: event._id });
          continue;
        }
      }
      const body = JSON.stringify({ id: event._id, type: event.type, created: unix(event.createdAt), data });
      for (const endpoint of endpoints.filter((e) => e.events.includes(event.type))) {
        await queueDelivery(
          models,
          {
            _id: `${event._id}:${endpoint._id}`,
            eventId: event._id,
            endpointId: endpoint._id,
            type: event.type,
            body,
            eventAt: event.createdAt,
          },
          now,
        );
      }
      await models.WebhookEvent.deleteOne({ _id: event._id });
      fannedOut += 1;
    }
    return fannedOut;
  }

  async function finish(deliveryId: string, set: Record<string, unknown>): Promise<void> {
    await models.WebhookDelivery.updateOne({ _id: deliveryId }, { $set: set });
    await models.WebhookDue.deleteOne({ _id: deliveryId });
  }

  async function recordFailure(
    delivery: { _id: string; eventAt: Date; endpointId: string },
    attempt: number,
    entry: { at: Date; statusCode?: number; error?: string; durationMs: number },
  ): Promise<void> {
    // Once per attempt, also when a slow sender and a process that found its lease stale both get here.
    if (!(await claimOnce(models, `webhook-failure:${delivery._id}:${attempt}`, owner)).won) return;
    const next = nextAttemptAt(delivery.eventAt, entry.at, attempt, options.retryBaseMs);
    await models.WebhookDelivery.updateOne(
      { _id: delivery._id, attempts: { $lt: attempt } },
      { $set: { attempts: attempt, ...(next ? {} : { status: 'failed' }) }, $push: { log: { attempt, ...entry } } },
    );
    if (next) await models.WebhookDue.updateOne({ _id: delivery._id }, { $set: { dueAt: next } });
    else await models.WebhookDue.deleteOne({ _id: delivery._id });
    await options.beforeCount?.(delivery._id, attempt);
    const endpoint = await models.WebhookEndpoint.findById(delivery.endpointId, { status: 1, streak: 1 }).lean();
    if (!endpoint) return;
    const n = await takeStrike(models, endpoint, delivery._id, entry.at);
    // Exactly one failure takes slot `disableAfter`: the one that disables.
    if (n === disableAfter) {
      await models.WebhookEndpoint.updateOne(
        { _id: endpoint._id },
        { $set: { status: 'disabled', disabledReason: `${n} failed attempts in a row`, updatedAt: entry.at } },
      );
      logger.warn({ endpointId: endpoint._id }, 'webhook endpoint disabled after repeated failures');
    }
  }

  async function attempt(deliveryId: string): Promise<boolean> {
    const delivery = await models.WebhookDelivery.findById(deliveryId).lean();
    if (!delivery || delivery.status !== 'pending') {
      await models.WebhookDue.deleteOne({ _id: deliveryId });
      return false;
    }
    const endpoint = await models.WebhookEndpoint.findById(delivery.endpointId).lean();
    if (!endpoint || (endpoint.status !== 'enabled' && delivery.type !== testEventType)) {
      await finish(deliveryId, { status: 'failed' });
      return false;
    }
    const n = delivery.attempts + 1;
    const leaseId = `${deliveryId}:${n}`;
    try {
      await models.WebhookLease.create({ _id: leaseId, deliveryId, owner, takenAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const lease = await models.WebhookLease.findById(leaseId).lean();
      const now = new Date();
      if (lease && now.getTime() - lease.takenAt.getTime() > leaseMs) {
        await recordFailure(delivery, n, {
          at: now,
          error: 'abandoned: the process sending it stopped',
          durationMs: 0,
        });
      }
      return false;
    }
    await options.beforeSend?.(deliveryId, n);
    const startedAt = new Date();
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > startedAt)
      secrets.push(endpoint.previousSecret);
    let statusCode: number | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'AshopPartners-Webhooks/1',
          'Ashop-Event-Id': delivery.eventId,
          'Ashop-Event-Type': delivery.type,
          'Ashop-Signature': signatureHeader(delivery.body, secrets, unix(startedAt)),
        },
        body: delivery.body,
      });
      statusCode = response.status;
      await response.body?.cancel();
    } catch (caught) {
      const name = (caught as Error).name;
      error = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String((caught as Error).message);
    }
    const at = new Date();
    const entry = {
      at,
      durationMs: at.getTime() - startedAt.getTime(),
      ...(statusCode !== undefined ? { statusCode } : {}),
      ...(error ? { error } : {}),
    };
    if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) {
      await models.WebhookDelivery.updateOne(
        { _id: deliveryId },
        { $set: { status: 'delivered', attempts: n, deliveredAt: at }, $push: { log: { attempt: n, ...entry } } },
      );
      await models.WebhookDue.deleteOne({ _id: deliveryId });
      // A success ends the streak, if one began (its first slot is taken).
      if (await models.WebhookStrike.exists({ _id: strikeId(endpoint._id, streakOf(endpoint), 1) }))
        await newStreak(models, endpoint._id);
    } else {
      await recordFailure(delivery, n, entry);
    }
    return true;
  }

  async function deliverDue(now: Date): Promise<number> {
    const due = await models.WebhookDue.find({ dueAt: { $lte: now } }, { _id: 1 })
      .sort({ dueAt: 1 })
      .limit(200)
      .lean();
    let next = 0;
    let attempted = 0;
    const worker = async () => {
      while (next < due.length) {
        const { _id } = due[next++]!;
        try {
          if (await attempt(_id)) attempted += 1;
        } catch (error) {
          logger.error({ err: error, deliveryId: _id }, 'webhook delivery attempt failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return attempted;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const runOnce = async (now = new Date()) => {
    const fannedOut = await fanOut(now);
    const attempted = await deliverDue(now);
    return { fannedOut, attempted };
  };

  const loop = () => {
    running = runOnce()
      .catch((error: unknown) => logger.warn({ err: error }, 'webhook dispatch pass failed; will retry'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(loop, pollMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
