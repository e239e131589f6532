// A durable mail queue: requests only insert a job (under a key derived from what the mail is
// about, so a replay finds it queued); a background sender delivers jobs one at a time through
// services/mail.ts, each attempt under a lease taken by a unique insert (`<job>:<attempt>`), so
// several collector processes never send one job at once. Failures are retried with backoff.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mailRetryAt } from '../domain/mail-retry';
import type { Logger } from '../logger';
import type { Models } from '../models';
import type { ServiceDeps } from './deps';
import { isDuplicateKey } from './duplicates';
import { sendMail, type MailMessage } from './mail';

export interface MailJob extends MailMessage {
  /** What the mail is about, e.g. `reset:<token hash>`; one job per key. */
  key: string;
}

/** Wakes this process's running senders, so mail queued here goes out at once, not at the next poll. */
const queued = new EventEmitter().setMaxListeners(0);

/** Queues the mail; false when a job with this key was already queued (or sent). */
export async function queueMail(models: Models, job: MailJob, now = new Date()): Promise<boolean> {
  const { key, ...message } = job;
  try {
    await models.MailJob.create({ _id: key, ...message, status: 'pending', attempts: 0, dueAt: now, createdAt: now });
    queued.emit('job');
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export interface MailSenderOptions {
  /** Pause between passes while running (default 1 s). */
  pollMs?: number;
  /** First retry delay, doubling per attempt (default 30 s). */
  retryBaseMs?: number;
  /** Attempts before a job is given up as failed (default 12). */
  maxAttempts?: number;
  /** A lease older than this belongs to a dead process (default 2 minutes; exceeds SMTP timeouts). */
  leaseMs?: number;
  /** Test seam: runs after the lease is taken, before the mail is sent. */
  beforeSend?: (jobId: string, attempt: number) => Promise<void>;
}

export interface MailSender {
  /** One pass over the due jobs; resolves with how many it sent or failed. */
  runOnce(now?: Date): Promise<{ attempted: number }>;
  /** Passes until no job is due by `now`: what tests await instead of waiting for the poll. */
  drain(now?: Date): Promise<void>;
  start(): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
}

export function createMailSender(deps: ServiceDeps & { logger: Logger }, options: MailSenderOptions = {}): MailSender {
  const { models, logger } = deps;
  const pollMs = options.pollMs ?? 1000;
  const retryBaseMs = options.retryBaseMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 12;
  const leaseMs = options.leaseMs ?? 120_000;
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;

  /** Attempt `attempts + 1` of the job, if this process wins its lease. */
  async function attempt(job: { _id: string; attempts: number }, now: Date): Promise<boolean> {
    const n = job.attempts + 1;
    const leaseId = `${job._id}:${n}`;
    try {
      await models.MailLease.create({ _id: leaseId, jobId: job._id, owner, takenAt: now });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const lease = await models.MailLease.findById(leaseId, { takenAt: 1 }).lean();
      // The holder died mid-attempt: count the attempt, so that the next one has a fresh lease.
      if (lease && lease.takenAt.getTime() + leaseMs < now.getTime())
        await models.MailJob.updateOne(
          { _id: job._id, status: 'pending', attempts: job.attempts },
          { $set: { attempts: n, dueAt: now, lastError: 'abandoned: the process sending it stopped' } },
        );
      return false;
    }
    // Read again under the lease: the job seen in the scan may have been sent meanwhile.
    const current = await models.MailJob.findById(job._id).lean();
    if (!current || current.status !== 'pending' || current.attempts !== job.attempts) return false;
    await options.beforeSend?.(job._id, n);
    try {
      await sendMail(deps, {
        to: current.to,
        subject: current.subject,
        text: current.text,
        unsubscribeUrl: current.unsubscribeUrl ?? undefined,
      });
    } catch (error) {
      const next = mailRetryAt(now, n, retryBaseMs, maxAttempts);
      const lastError = error instanceof Error ? error.message : String(error);
      await models.MailJob.updateOne(
        { _id: job._id },
        { $set: { attempts: n, lastError, ...(next ? { dueAt: next } : { status: 'failed' }) } },
      );
      logger.warn({ mailJob: job._id, attempt: n, err: error }, next ? 'mail failed; will retry' : 'mail given up');
      return true;
    }
    await models.MailJob.updateOne({ _id: job._id }, { $set: { status: 'sent', attempts: n, sentAt: new Date() } });
    // Keyed deletes: a filter on jobId would scan the collection on FerretDB.
    for (let i = 1; i <= n; i++) await models.MailLease.deleteOne({ _id: `${job._id}:${i}` });
    return true;
  }

  async function runOnce(now = new Date()): Promise<{ attempted: number }> {
    let attempted = 0;
    // A batch scan (not a request path); bounded per pass.
    const due = await models.MailJob.find({ status: 'pending', dueAt: { $lte: now } }, { attempts: 1 })
      .sort({ dueAt: 1 })
      .limit(100)
      .lean();
    for (const job of due) if (await attempt(job, now)) attempted += 1;
    return { attempted };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  let again = false;
  const tick = () => {
    again = false;
    running = runOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'mail sender pass failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, again ? 0 : pollMs);
      });
  };
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(tick, 0);
  };

  return {
    runOnce,
    async drain(now) {
      while ((await runOnce(now)).attempted > 0);
    },
    start() {
      stopped = false;
      queued.on('job', wake);
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      queued.off('job', wake);
      clearTimeout(timer);
      await running;
    },
  };
}
