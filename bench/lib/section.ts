// What each benchmark section hands back: its table rows and its raw figures for results.json.
import type { Row } from './table';

export interface SectionResult {
  rows: Row[];
  data: Record<string, unknown>;
}

export interface BenchOptions {
  quick: boolean;
  /** Connection string of the engine (without a database name). */
  mongodbUri: string;
  engineKind: string;
  /** Environment for collector processes (configuration, keys, secrets). */
  collectorEnv: NodeJS.ProcessEnv;
  /** Prefix of every database the run creates (dropped at the end). */
  dbPrefix: string;
  log(line: string): void;
}

/** A row for a figure that could not be taken, with the reason in place of the number. */
export function notMeasured(section: string, metric: string, target: string, reason: string): Row {
  return {
    section,
    metric,
    target,
    measured: `not measured: ${reason}`,
    baseline: '',
    ratio: '',
    verdict: 'not measured',
  };
}

export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 160);
}

/** The value, or the error it failed with (so one failed measurement does not hide the others). */
export function settle<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}

/** Rejects when the promise does not settle in time (an engine that stopped answering). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
