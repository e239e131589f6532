// The retention job: what grows with traffic but is no fact is deleted once it is no longer needed
// (domain/retention.ts says how long each is kept). Not a TTL index: FerretDB has none. Each purge is
// one delete command with a range filter, so the database streams through the collection and this
// process holds nothing but the counts, whatever the size.
import type { Context } from '../context';
import { retentionCutoffs } from '../domain/retention';
import { purgeVisitorHistories } from './visitor-history';
import { currentStrikes } from './webhook-dispatcher';

const everyMs = 60 * 60 * 1000;

type Deps = Pick<Context, 'models' | 'config'>;

/** Raw clicks older than ASHOP_CLICK_RETENTION_DAYS; reports read the counters, so they are unaffected. */
export async function purgeOldClicks({ models, config }: Deps, now = new Date()): Promise<number> {
  const { clicks } = retentionCutoffs(now, config);
  return (await models.Click.deleteMany({ occurredAt: { $lt: clicks } })).deletedCount;
}

/**
 * The memory of applied stats deltas past the time a duplicate could still insert one. Entries
 * written before they carried a time get the time of the first pass that sees them, so they go one
 * keep period later.
 */
export async function purgeAppliedDeltas({ models, config }: Deps, now = new Date()): Promise<number> {
  await models.StatApplied.updateMany({ at: { $exists: false } }, { $set: { at: now } });
  const { appliedDeltas } = retentionCutoffs(now, config);
  return (await models.StatApplied.deleteMany({ at: { $lt: appliedDeltas } })).deletedCount;
}

/**
 * Mail sent and webhook deliveries finished (delivered, or given up after their retries) more than
 * ASHOP_DELIVERY_LOG_DAYS ago, and the leases of their attempts. A job or delivery still pending is
 * kept whatever its age; a lease that old belongs to an attempt long finished.
 */
export async function purgeDeliveryLogs({ models, config }: Deps, now = new Date()) {
  const { deliveryLog } = retentionCutoffs(now, config);
  const [mailJobs, mailLeases, webhookDeliveries, webhookLeases] = await Promise.all([
    models.MailJob.deleteMany({ status: { $in: ['sent', 'failed'] }, createdAt: { $lt: deliveryLog } }),
    models.MailLease.deleteMany({ takenAt: { $lt: deliveryLog } }),
    models.WebhookDelivery.deleteMany({ status: { $in: ['delivered', 'failed'] }, createdAt: { $lt: deliveryLog } }),
    models.WebhookLease.deleteMany({ takenAt: { $lt: deliveryLog } }),
  ]);
  return {
    mailJobs: mailJobs.deletedCount,
    mailLeases: mailLeases.deletedCount,
    webhookDeliveries: webhookDeliveries.deletedCount,
    webhookLeases: webhookLeases.deletedCount,
  };
}

/**
 * Strikes (failed attempts counted toward disabling a webhook endpoint) older than
 * ASHOP_DELIVERY_LOG_DAYS, of streaks that ended (a success or a re-enable started a new one) or of
 * endpoints deleted. The current streak's strikes are kept at any age: its next failure's number,
 * and so whether it disables the endpoint, is counted from them. One delete per endpoint (a handful).
 */
export async function purgeWebhookStrikes({ models, config }: Deps, now = new Date()): Promise<number> {
  const { deliveryLog } = retentionCutoffs(now, config);
  const endpoints = await models.WebhookEndpoint.find({}, { streak: 1 }).lean();
  // An endpoint created after this read has only strikes newer than the cutoff; a streak renewed
  // after it leaves the one read here ended, and the new one has no strike older than the cutoff.
  const deletes = endpoints.map((endpoint) => {
    const { from, to } = currentStrikes(endpoint);
    return models.WebhookStrike.deleteMany({
      endpointId: endpoint._id,
      at: { $lt: deliveryLog },
      $or: [{ _id: { $lt: from } }, { _id: { $gte: to } }],
    });
  });
  deletes.push(
    models.WebhookStrike.deleteMany({
      endpointId: { $nin: endpoints.map((endpoint) => endpoint._id) },
      at: { $lt: deliveryLog },
    }),
  );
  return (await Promise.all(deletes)).reduce((sum, result) => sum + result.deletedCount, 0);
}

/** Release days no balance reads any more (domain/retention.ts). */
export async function purgeReleaseDays({ models, config }: Deps, now = new Date()): Promise<number> {
  const { releaseDays } = retentionCutoffs(now, config);
  return (await models.ReleaseDay.deleteMany({ day: { $lt: releaseDays } })).deletedCount;
}

export interface RetentionResult {
  clicks: number;
  visitorHistories: number;
  appliedDeltas: number;
  mailJobs: number;
  mailLeases: number;
  webhookDeliveries: number;
  webhookLeases: number;
  webhookStrikes: number;
  releaseDays: number;
}

/** Every purge once, in turn (the job and `npm run cli -- retention run`); the documents deleted of each. */
export async function runRetention(deps: Deps, now = new Date()): Promise<RetentionResult> {
  const clicks = await purgeOldClicks(deps, now);
  // Visitor histories matter only inside the attribution window.
  const visitorHistories = await purgeVisitorHistories(deps, now);
  const appliedDeltas = await purgeAppliedDeltas(deps, now);
  const webhookStrikes = await purgeWebhookStrikes(deps, now);
  const releaseDays = await purgeReleaseDays(deps, now);
  return {
    clicks,
    visitorHistories,
    appliedDeltas,
    ...(await purgeDeliveryLogs(deps, now)),
    webhookStrikes,
    releaseDays,
  };
}

/** Runs the job now and hourly; stops when the collector closes. */
export function scheduleRetention(context: Context): void {
  const run = () =>
    runRetention(context).then(
      (deleted) => {
        if (Object.values(deleted).some((count) => count > 0))
          context.logger.info({ deleted }, 'retention: old records deleted');
      },
      (error: unknown) => context.logger.warn({ err: error }, 'retention failed; will retry'),
    );
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  void run();
  context.onClose(async () => clearInterval(timer));
}
