// daily_stats counters (DESIGN.md §8): increments are coalesced per document and applied as $inc
// upserts from ONE ordered queue per collector process, one batch at a time, so no two writes of
// this process race on a document. Drained when the collector closes.
import type { Logger } from '../logger';
import type { Models } from '../models';

export const statCounters = ['clicks', 'uniqueClicks', 'signups', 'customers', 'revenue', 'commission'] as const;
export type StatCounter = (typeof statCounters)[number];
export type StatIncrements = Partial<Record<StatCounter, number>>;

interface PendingStat {
  partnerId: string;
  day: string;
  bid: string;
  inc: StatIncrements;
}

export function dailyStatId(partnerId: string, day: string, bid: string | undefined | null): string {
  return `${partnerId}|${day}|${bid ?? ''}`;
}

export class StatsQueue {
  private pending = new Map<string, PendingStat>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
    private readonly delayMs = 50,
  ) {}

  add(partnerId: string, day: string, bid: string | undefined | null, increments: StatIncrements): void {
    const id = dailyStatId(partnerId, day, bid);
    const entry = this.pending.get(id) ?? { partnerId, day, bid: bid ?? '', inc: {} };
    for (const counter of statCounters) {
      const value = increments[counter];
      if (value) entry.inc[counter] = (entry.inc[counter] ?? 0) + value;
    }
    this.pending.set(id, entry);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.logger.error({ err: error }, 'daily_stats write failed; will retry'));
    }, this.delayMs);
  }

  /** Writes everything added so far (after the batches already queued); rejects if the write failed. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.writePending());
    this.chain = run.catch(() => {});
    return run;
  }

  /** Drains the queue (used on close): retries a failing write a few times before giving up loudly. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.flush();
        return;
      } catch (error) {
        if (attempt >= 3) {
          this.logger.error({ err: error, lost: this.pending.size }, 'daily_stats increments could not be written');
          return;
        }
        await new Promise((done) => setTimeout(done, 200 * attempt));
      }
    }
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    // One update command per document, never a multi-statement bulk: FerretDB 1.24 leaks a pooled
    // SQLite connection when a multi-statement update runs beside other writes, and stops answering
    // once its pool of 100 is gone. The documents are distinct, so a few writes at once are safe.
    const failed = new Map<string, PendingStat>();
    let firstError: unknown;
    for (let start = 0; start < batch.length; start += parallelWrites) {
      const chunk = batch.slice(start, start + parallelWrites);
      const results = await Promise.allSettled(
        chunk.map(([id, stat]) => this.models.DailyStat.updateOne({ _id: id }, upsertOf(stat), { upsert: true })),
      );
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return;
        failed.set(...chunk[index]!);
        firstError ??= result.reason;
      });
    }
    if (failed.size === 0) return;
    // After a network error nothing is known of that write; retrying may count it twice, which beats losing it.
    for (const [id, later] of this.pending) {
      const stat = failed.get(id);
      if (!stat) failed.set(id, later);
      else
        for (const counter of statCounters)
          if (later.inc[counter]) stat.inc[counter] = (stat.inc[counter] ?? 0) + later.inc[counter]!;
    }
    this.pending = failed;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((retryError: unknown) =>
        this.logger.error({ err: retryError }, 'daily_stats write failed; will retry'),
      );
    }, 1000);
    throw firstError;
  }
}

const parallelWrites = 8;

function upsertOf(stat: PendingStat) {
  // Readers get every counter, also those this upsert does not touch.
  const zeros = Object.fromEntries(
    statCounters.filter((counter) => stat.inc[counter] === undefined).map((counter) => [counter, 0]),
  );
  return { $inc: stat.inc, $setOnInsert: { partnerId: stat.partnerId, day: stat.day, bid: stat.bid, ...zeros } };
}
