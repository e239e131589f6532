// How long the records that grow with traffic are kept. Facts that money or counters depend on
// (ledger, customers, revenue events, payouts, claims) are kept for ever; these are not facts.
import { addDays, DAY_MS, utcDay } from './days';

export interface RetentionSettings {
  clickRetentionDays: number;
  deliveryLogDays: number;
  statsGraceMs: number;
}

/**
 * The memory of applied stats deltas (`stat_applied`) drops a delta inserted again after its fold.
 * Every request that inserts a delta first reads its fact by key and stops at a stored one, so only
 * a duplicate that read "not stored" before the first request stored it can insert the delta again:
 * within the longest write, which ASHOP_STATS_GRACE_MS already bounds (a delta whose fact is not
 * stored by then is dropped). A day, or ten grace times if longer, leaves a wide margin.
 */
export const appliedDeltaKeepMs = (statsGraceMs: number): number => Math.max(DAY_MS, 10 * statsGraceMs);

/** Records older than these instants are deleted (a record exactly at the cutoff is kept). */
export function retentionCutoffs(now: Date, settings: RetentionSettings) {
  return {
    /** Raw clicks: reports read the counters, so only the click log itself goes. */
    clicks: addDays(now, -settings.clickRetentionDays),
    appliedDeltas: new Date(now.getTime() - appliedDeltaKeepMs(settings.statsGraceMs)),
    /** Sent mail, finished webhook deliveries (the delivery log) and the leases of their attempts. */
    deliveryLog: addDays(now, -settings.deliveryLogDays),
    /**
     * Release days (`release_days`, a UTC day's exact release times) before this day: a balance is
     * only ever asked for now, and reads the release day of its own day alone (earlier days count
     * as released from the totals); a day's margin for clocks that differ between processes.
     */
    releaseDays: utcDay(addDays(now, -2)),
  };
}
