// Raw clicks are kept ASHOP_CLICK_RETENTION_DAYS, then deleted by a periodic job (not a TTL index:
// FerretDB has none). Reports read the counter buckets, so they are unaffected.
import type { Context } from '../context';
import { addDays } from '../domain/days';
import { purgeVisitorHistories } from './visitor-history';

const everyMs = 60 * 60 * 1000;

export async function purgeOldClicks(context: Pick<Context, 'models' | 'config'>, now = new Date()): Promise<number> {
  const cutoff = addDays(now, -context.config.clickRetentionDays);
  const result = await context.models.Click.deleteMany({ occurredAt: { $lt: cutoff } });
  return result.deletedCount;
}

/** Runs the purge now and hourly; stops when the collector closes. */
export function scheduleRetention(context: Context): void {
  const run = () =>
    purgeOldClicks(context)
      .then((deleted) => deleted && context.logger.info({ deleted }, 'old clicks deleted'))
      // Visitor histories matter only inside the attribution window.
      .then(() => purgeVisitorHistories(context))
      .then(
        (deleted) => deleted && context.logger.info({ deleted }, 'old visitor histories deleted'),
        (error: unknown) => context.logger.warn({ err: error }, 'click retention failed; will retry'),
      );
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  void run();
  context.onClose(async () => clearInterval(timer));
}
