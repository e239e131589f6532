// Starts the database engine the collector talks to when MONGODB_URI is not given (docs/ARCHITECTURE.md §5):
// a `mongod` found on PATH, else our small Go program embedding FerretDB with SQLite storage,
// built once into .cache/bin/ (ferret-build.ts). The engine never outlives this process: FerretDB
// exits when its stdin pipe closes, and both engines are killed on exit. While this process runs,
// an engine that dies is restarted on the same port and data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EngineUnavailableError, ensureFerretBinary, findOnPath } from './ferret-build';

export { EngineUnavailableError };

export type EngineKind = 'external' | 'mongod' | 'ferretdb';

export interface Engine {
  kind: EngineKind;
  /** Connection string, without a database name. */
  uri: string;
  /** Process id of the engine this process started, the current one after a restart (none for MONGODB_URI). */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** Folder for the engine's files (a `ferretdb/` or `mongod/` folder is made inside). */
  dataDir: string;
  /** Fixed port; default: a free one. */
  port?: number;
  /** Where progress lines go (the first FerretDB build takes a minute or two). */
  progress?: (line: string) => void;
  /** Skip `mongod` even when it is on PATH (tests of the FerretDB path). */
  preferFerret?: boolean;
  /** Restart the engine when it dies (default); tests that kill it on purpose turn this off. */
  supervise?: boolean;
  /** Where restarts are reported. */
  logger?: EngineLogger;
}

export interface EngineLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Uses MONGODB_URI when given, else starts an embedded engine. */
export async function startEngine(mongodbUri: string | undefined, options: EngineOptions): Promise<Engine> {
  if (mongodbUri) return { kind: 'external', uri: mongodbUri, stop: async () => {} };
  const port = options.port ?? (await freePort());
  const mongod = options.preferFerret ? undefined : findOnPath('mongod');
  if (mongod) return startSupervised(mongodLauncher(mongod, options.dataDir, port), options);
  const binary = await ensureFerretBinary(options.progress ?? (() => {}));
  return startSupervised(ferretLauncher(binary, options.dataDir, port), options);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** How to start one engine process on a fixed port and folder, and recognise that it is ready. */
interface Launcher {
  kind: 'ferretdb' | 'mongod';
  spawn(): ChildProcess;
  readyUri(line: string): string | undefined;
}

function ferretLauncher(binary: string, dataDir: string, port: number): Launcher {
  const folder = join(dataDir, 'ferretdb');
  mkdirSync(folder, { recursive: true });
  return {
    kind: 'ferretdb',
    spawn: () => spawn(binary, ['-listen', `127.0.0.1:${port}`, '-data', folder], { stdio: ['pipe', 'pipe', 'pipe'] }),
    readyUri: (line) => /^ready (mongodb:\/\/\S+)/.exec(line)?.[1],
  };
}

function mongodLauncher(mongod: string, dataDir: string, port: number): Launcher {
  const folder = join(dataDir, 'mongod');
  mkdirSync(folder, { recursive: true });
  return {
    kind: 'mongod',
    spawn: () =>
      spawn(mongod, ['--dbpath', folder, '--bind_ip', '127.0.0.1', '--port', String(port)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    readyUri: (line) => (line.includes('Waiting for connections') ? `mongodb://127.0.0.1:${port}/` : undefined),
  };
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

interface EngineProcess {
  child: ChildProcess;
  /** The connection string once the engine accepts connections; rejects when it cannot start. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Starts one engine process; keeps the last lines of its output for error messages. */
function launch(launcher: Launcher): EngineProcess {
  installExitHook();
  const { kind } = launcher;
  const child = launcher.spawn();
  running.add(child);
  const tail: string[] = [];
  let exited = false;
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      exited = true;
      running.delete(child);
      done({ code, signal });
    }),
  );

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exitedPromise;
    clearTimeout(timer);
  };

  const ready = new Promise<string>((resolveUri, reject) => {
    let done = false;
    const timeout = setTimeout(() => {
      void stop();
      reject(new EngineUnavailableError(`${kind} did not become ready within 30 s: ${tail.join(' | ')}`));
    }, 30_000);
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 10) tail.shift();
      if (done) return;
      const uri = launcher.readyUri(line);
      if (uri) {
        done = true;
        clearTimeout(timeout);
        resolveUri(uri);
      }
    };
    readLines(child.stdout, onLine);
    readLines(child.stderr, onLine);
    child.once('error', (error) => {
      clearTimeout(timeout);
      reject(new EngineUnavailableError(`${kind} could not start: ${error.message}`));
    });
    void exitedPromise.then(() => {
      if (done) return;
      clearTimeout(timeout);
      reject(new EngineUnavailableError(`${kind} exited before it was ready: ${tail.join(' | ')}`));
    });
  });
  return { child, ready, exited: exitedPromise, stop };
}

/** Waits between restarts: bounded, and back to the first once the engine has run a minute. */
const restartDelaysMs = [250, 500, 1000, 2000, 5000];
const stableAfterMs = 60_000;

/**
 * Starts the engine and, unless told not to, restarts it on the same port and folder whenever it
 * dies (the driver reconnects to the same URI by itself). Only `stop()` ends it for good.
 */
async function startSupervised(launcher: Launcher, options: EngineOptions): Promise<Engine> {
  const { kind } = launcher;
  const log = options.logger ?? silent;
  let current = launch(launcher);
  const uri = await current.ready;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let attempt = 0;
  let startedAt = Date.now();

  const pause = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  const restart = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
    const diedAt = Date.now();
    if (diedAt - startedAt > stableAfterMs) attempt = 0;
    for (;;) {
      const delayMs = restartDelaysMs[Math.min(attempt, restartDelaysMs.length - 1)]!;
      attempt += 1;
      log.warn(
        { engine: kind, code, signal, attempt, delayMs },
        `database engine ${kind} exited (${signal ?? `code ${code}`}); restarting it on the same data in ${delayMs} ms`,
      );
      await pause(delayMs);
      if (stopping) return;
      const next = launch(launcher);
      current = next;
      try {
        await next.ready;
      } catch (error) {
        if (stopping) return;
        log.error({ err: error, engine: kind }, `database engine ${kind} did not restart`);
        continue;
      }
      startedAt = Date.now();
      log.warn(
        { engine: kind, enginePid: next.child.pid, downMs: startedAt - diedAt },
        `database engine ${kind} restarted in ${startedAt - diedAt} ms`,
      );
      watch(next);
      return;
    }
  };

  const watch = (engineProcess: EngineProcess): void => {
    void engineProcess.exited.then(({ code, signal }) => {
      if (stopping || engineProcess !== current || options.supervise === false) return;
      restarting = restart(code, signal);
    });
  };
  watch(current);

  return {
    kind,
    uri,
    get pid() {
      return current.child.pid;
    },
    stop: async () => {
      stopping = true;
      wake?.();
      await current.stop();
      await restarting;
      await current.stop();
    },
  };
}

const silent: EngineLogger = { warn: () => {}, error: () => {} };

/** Calls `onLine` with each complete line a process prints (without the newline). */
export function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let index: number;
    while ((index = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, index));
      buffer = buffer.slice(index + 1);
    }
  });
}
