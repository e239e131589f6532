// When a failed email is tried again: the delay doubles per attempt (capped at 6 hours), and after
// `maxAttempts` the job is given up (null).
const maxDelayMs = 6 * 3_600_000;

export function mailRetryAt(now: Date, attempt: number, baseMs: number, maxAttempts: number): Date | null {
  if (attempt >= maxAttempts) return null;
  const delay = Math.min(baseMs * 2 ** (attempt - 1), maxDelayMs);
  return new Date(now.getTime() + delay);
}
