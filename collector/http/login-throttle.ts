// Failed-login throttling that a stranger cannot turn against the owner. Hard limits (429) count
// failures per address and per account+address, so one place guessing is stopped; per account
// only a delay grows with recent failures from anywhere, so guessing from many places gets slow
// while the owner, with the right password, still gets in (a little later).
import type { Request, RequestHandler } from 'express';

export interface SlowDownOptions {
  windowMs: number;
  /** Failures within the window before any delay. */
  freeFailures: number;
  /** Delay per failure beyond the free ones, up to maxDelayMs. */
  stepMs: number;
  maxDelayMs: number;
  key: (req: Request) => string;
}

/** Keys tracked at most; the oldest windows are forgotten first (bounded memory). */
const maxKeys = 50_000;

/** Per-process failure counts with a delay before each attempt; a failure is an answer of 401. */
export function failureSlowDown(options: SlowDownOptions): RequestHandler {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (key: string, now: number) => {
    const entry = failures.get(key);
    if (entry && now - entry.since < options.windowMs) return entry;
    failures.delete(key);
    return undefined;
  };
  return (req, res, next) => {
    const key = options.key(req);
    const now = Date.now();
    const count = current(key, now)?.count ?? 0;
    const delay = Math.min(options.maxDelayMs, Math.max(0, count - options.freeFailures) * options.stepMs);
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      const at = Date.now();
      const entry = current(key, at) ?? { count: 0, since: at };
      entry.count += 1;
      failures.delete(key);
      failures.set(key, entry);
      if (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    });
    if (delay === 0) return next();
    setTimeout(next, delay);
  };
}
