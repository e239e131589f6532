// Starts the database engine the collector talks to when MONGODB_URI is not given (DESIGN.md §8):
// a `mongod` found on PATH, else our small Go program embedding FerretDB with SQLite storage,
// built once into .cache/bin/ (ferret-build.ts). The engine never outlives this process: FerretDB exits when its
// stdin pipe closes, and both engines are killed on exit.
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
  /** Process id of an engine this process started (none for MONGODB_URI). */
  pid?: number;
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
}

/** Uses MONGODB_URI when given, else starts an embedded engine. */
export async function startEngine(mongodbUri: string | undefined, options: EngineOptions): Promise<Engine> {
  if (mongodbUri) return { kind: 'external', uri: mongodbUri, stop: async () => {} };
  const port = options.port ?? (await freePort());
  const mongod = options.preferFerret ? undefined : findOnPath('mongod');
  if (mongod) return startMongod(mongod, options.dataDir, port);
  const binary = await ensureFerretBinary(options.progress ?? (() => {}));
  return startFerret(binary, options.dataDir, port);
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

function startFerret(binary: string, dataDir: string, port: number): Promise<Engine> {
  const folder = join(dataDir, 'ferretdb');
  mkdirSync(folder, { recursive: true });
  const child = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-data', folder], { stdio: ['pipe', 'pipe', 'pipe'] });
  return supervise(child, 'ferretdb', (line) => {
    const match = /^ready (mongodb:\/\/\S+)/.exec(line);
    return match?.[1];
  });
}

function startMongod(mongod: string, dataDir: string, port: number): Promise<Engine> {
  const folder = join(dataDir, 'mongod');
  mkdirSync(folder, { recursive: true });
  const child = spawn(mongod, ['--dbpath', folder, '--bind_ip', '127.0.0.1', '--port', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return supervise(child, 'mongod', (line) =>
    line.includes('Waiting for connections') ? `mongodb://127.0.0.1:${port}/` : undefined,
  );
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

/** Waits for the engine's ready line, keeps the last lines of its output for error messages. */
function supervise(
  child: ChildProcess,
  kind: EngineKind,
  readyUri: (line: string) => string | undefined,
): Promise<Engine> {
  installExitHook();
  running.add(child);
  const tail: string[] = [];
  let exited = false;
  const exitedPromise = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      done();
    }),
  );

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exitedPromise;
    clearTimeout(timer);
  };

  return new Promise<Engine>((resolveEngine, reject) => {
    let ready = false;
    const timeout = setTimeout(() => {
      void stop();
      reject(new EngineUnavailableError(`${kind} did not become ready within 30 s: ${tail.join(' | ')}`));
    }, 30_000);
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 10) tail.shift();
      if (ready) return;
      const uri = readyUri(line);
      if (uri) {
        ready = true;
        clearTimeout(timeout);
        resolveEngine({ kind, uri, pid: child.pid, stop });
      }
    };
    lines(child.stdout, onLine);
    lines(child.stderr, onLine);
    child.once('error', (error) => {
      clearTimeout(timeout);
      reject(new EngineUnavailableError(`${kind} could not start: ${error.message}`));
    });
    void exitedPromise.then(() => {
      if (ready) return;
      clearTimeout(timeout);
      reject(new EngineUnavailableError(`${kind} exited before it was ready: ${tail.join(' | ')}`));
    });
  });
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
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
