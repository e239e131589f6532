// A real collector in a child process (`collector/server.ts`, as `npm run collector` runs it), for
// tests that kill it with SIGKILL, restart it on the same data, or run several on one database.
// Given `mongodbUri` it uses that database; without, it starts its own embedded engine in `dataDir`
// (then `enginePid` is the engine's process, which exits when the collector dies).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readLines } from '../../collector/db/engine';
import { projectRoot } from '../../collector/paths';
import type { SeamName } from '../../collector/services/seams';
import { testAdminKey, testServerKey } from './collector';

export interface ChildCollectorOptions {
  /** Connection string with the database name in its path (see withDatabase); omit for an embedded engine. */
  mongodbUri?: string;
  /** ASHOP_DATA_DIR: secrets, and the embedded engine's files when there is no mongodbUri. */
  dataDir: string;
  /** Extra or overriding environment variables (the test keys and secrets are set by default). */
  env?: NodeJS.ProcessEnv;
  /** Fixed port; default: a free one, kept across restarts. */
  port?: number;
  /** How long start-up may take (the first embedded engine build takes longer; it is prebuilt in tests). */
  startTimeoutMs?: number;
  /**
   * `<seam>` or `<seam>#<pass>`: that pass through the seam (services/seams.ts) never returns and
   * logs "held at seam" (see waitForHold), so a test can kill the process at that very step.
   */
  holdAt?: `${SeamName}` | `${SeamName}#${number}`;
}

export interface ChildResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** One parsed pino line from the child's stdout (non-JSON lines come as `{ msg: line }`). */
export type LogLine = Record<string, unknown> & { msg?: string };

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Puts a database name into a connection string's path, keeping its options. */
export function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?[^?]*(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a mongodb:// connection string: ${uri}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

export class ChildCollector {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly tail: string[] = [];
  private readonly watchers = new Set<(line: LogLine) => void>();
  /**
   * The embedded engine the collector started, the current one after a restart (undefined with
   * mongodbUri; read from its log, so LOG_LEVEL must be info or lower).
   */
  enginePid: number | undefined;
  /** Its connection string (no database name). */
  engineUri: string | undefined;

  private constructor(
    private options: ChildCollectorOptions,
    readonly port: number,
  ) {}

  static async start(options: ChildCollectorOptions): Promise<ChildCollector> {
    const collector = new ChildCollector(options, options.port ?? (await freePort()));
    await collector.launch();
    return collector;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the child printed (stdout and stderr), for failure messages. */
  get recentOutput(): string {
    return this.tail.join('\n');
  }

  private async launch(): Promise<void> {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const child of running) child.kill('SIGKILL');
      });
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ASHOP_JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123',
      ASHOP_SIGNUP_SECRET: 'test-signup-secret-that-is-long-enough-01',
      ASHOP_SERVER_KEY: testServerKey,
      ASHOP_ADMIN_KEY: testAdminKey,
      ASHOP_SITE_URL: 'http://localhost:8080',
      LOG_LEVEL: 'info',
      ...this.options.env,
      ASHOP_DATA_DIR: this.options.dataDir,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      ...(this.options.mongodbUri ? { MONGODB_URI: this.options.mongodbUri } : {}),
      ...(this.options.holdAt ? { ASHOP_TEST_HOLD_AT: this.options.holdAt } : {}),
    };
    const entry = this.options.holdAt
      ? join(projectRoot, 'test', 'support', 'child-server.ts')
      : join(projectRoot, 'collector', 'server.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.enginePid = undefined;
    running.add(child);
    this.exited = new Promise((done) =>
      child.once('exit', () => {
        running.delete(child);
        done();
      }),
    );
    const onLine = (raw: string) => {
      this.tail.push(raw);
      if (this.tail.length > 200) this.tail.shift();
      const line = parseLine(raw);
      if (typeof line.enginePid === 'number') this.enginePid = line.enginePid;
      if (typeof line.engineUri === 'string') this.engineUri = line.engineUri;
      for (const watcher of this.watchers) watcher(line);
    };
    readLines(child.stdout, onLine);
    readLines(child.stderr, onLine);

    // Listening, whatever LOG_LEVEL says: /healthz answers without the database.
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`the collector exited before it was ready:\n${this.recentOutput}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the collector did not listen within ${timeoutMs / 1000} s:\n${this.recentOutput}`);
      }
      const answered = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        () => true,
        () => false,
      );
      if (answered) return;
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  /** Resolves with the first log line (from now on) that matches; rejects after `timeoutMs`. */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const watcher = (line: LogLine) => {
        if (!matches(line)) return;
        clearTimeout(timer);
        this.watchers.delete(watcher);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.watchers.delete(watcher);
        reject(new Error(`no matching log line within ${timeoutMs / 1000} s:\n${this.recentOutput}`));
      }, timeoutMs);
      this.watchers.add(watcher);
    });
  }

  /** One HTTP request; JSON bodies are sent as JSON. Network failures reject (the process is gone). */
  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ChildResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  /** `kill -9` of the collector; resolves once it (and the embedded engine it started) are gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
    // The engine exits when its stdin (held by the collector) closes: wait, so a restart on the
    // same data folder never runs beside it.
    if (this.enginePid !== undefined) await processGone(this.enginePid, 10_000);
  }

  /** Graceful stop (SIGTERM: drain, close the database, stop the engine); SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
    if (this.enginePid !== undefined) await processGone(this.enginePid, 10_000);
  }

  /** Resolves once the process is held at the seam named by `holdAt`. */
  waitForHold(timeoutMs = 30_000): Promise<LogLine> {
    return this.waitForLog((line) => line.msg === 'held at seam', timeoutMs);
  }

  /** Starts the collector again on the same port and data folder (`changes`: another holdAt or env). */
  async restart(changes: Pick<ChildCollectorOptions, 'holdAt' | 'env'> = {}): Promise<void> {
    await this.kill();
    this.options = { ...this.options, holdAt: undefined, ...changes, env: { ...this.options.env, ...changes.env } };
    await this.launch();
  }
}

/** Polls until a process we hold no handle to has exited (a zombie counts as gone: its reaper may be slow). */
export async function processGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(pid)) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs after ${timeoutMs / 1000} s`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

function isAlive(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; the name before it is in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function parseLine(raw: string): LogLine {
  if (raw.startsWith('{')) {
    try {
      return JSON.parse(raw) as LogLine;
    } catch {
      // not JSON after all: fall through
    }
  }
  return { msg: raw };
}
