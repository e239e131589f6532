// Structured JSON logs (pino). Request logs carry a request id and never an IP address.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'ashop-collector' } });
}
