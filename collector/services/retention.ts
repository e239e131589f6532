// The retention job: what grows with traffic but is no fact is deleted once it is no longer needed
// (domain/retention.ts says how long each is kept). Not a TTL index: FerretDB has none. Each purge is
// one delete command with a range filter, so the database streams through the collection and this
// process holds nothing but the counts, whatever the size.
import type { Context } from '../context';
import { retentionCutoffs } from '../domain/retention';
import { purgeVisitorHistories } from './visitor-history';

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

export interface RetentionResult {
  clicks: number;
  visitorHistories: number;
  appliedDeltas: number;
  mailJobs: number;
  mailLeases: number;
  webhookDeliveries: number;
  webhookLeases: number;
}

/** Every purge once, in turn (the job and `npm run cli -- retention run`); the documents deleted of each. */
export async function runRetention(deps: Deps, now = new Date()): Promise<RetentionResult> {
  const clicks = await purgeOldClicks(deps, now);
  // Visitor histories matter only inside the attribution window.
  const visitorHistories = await purgeVisitorHistories(deps, now);
  const appliedDeltas = await purgeAppliedDeltas(deps, now);
  return { clicks, visitorHistories, appliedDeltas, ...(await purgeDeliveryLogs(deps, now)) };
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
