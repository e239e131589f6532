// A benchmark server in its own process (so the load generator never competes with it inside one
// event loop), spoken to over Node's IPC channel: it announces its port, then answers requests.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ReadyMessage {
  type: 'ready';
  port: number;
}

/** A request to the child and its answer share an `id`. */
export interface IpcRequest {
  id: number;
  type: string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class BenchChild {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exitError: Error | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: { id?: number; error?: string }) => {
      const pending = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (!pending) return;
      this.waiting.delete(message.id!);
      if (message.error) pending.reject(new Error(message.error));
      else pending.resolve(message);
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      this.exitError = new Error(`${this.name} exited (${signal ?? code})`);
      for (const pending of this.waiting.values()) pending.reject(this.exitError);
      this.waiting.clear();
    });
  }

  get name(): string {
    return this.child.spawnargs.at(-1) ?? 'child';
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `bench/<script>` under tsx with its own V8 flags; resolves once it listens. */
  static async start(script: string, env: NodeJS.ProcessEnv, startTimeoutMs = 60_000): Promise<BenchChild> {
    const child = fork(join(__dirname, '..', script), [], {
      env,
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    running.add(child);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${script} did not start within ${startTimeoutMs / 1000} s`));
      }, startTimeoutMs);
      child.on('message', (message: ReadyMessage | { type: 'failed'; error: string }) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.port);
        } else if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${script} failed to start: ${message.error}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code}) before it was ready`));
      });
    });
    return new BenchChild(child, port);
  }

  /** Sends a request and waits for the answer with the same id. */
  request<T>(type: string, timeoutMs = 120_000): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: no answer to "${type}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, type } satisfies IpcRequest);
    });
  }

  /** Asks the child to stop cleanly (it drains its queues); kills it when it does not. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.exitError) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ id: this.nextId++, type: 'stop' } satisfies IpcRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** In the child: announce the port, answer requests with `handlers`, exit when the parent goes away. */
export function serveIpc(port: number, handlers: Record<string, () => Promise<object> | object>): void {
  const send = (message: object) => process.send?.(message);
  process.on('message', (message: IpcRequest) => {
    const handler = handlers[message.type];
    if (!handler) {
      send({ id: message.id, error: `unknown request "${message.type}"` });
      return;
    }
    Promise.resolve()
      .then(handler)
      .then(
        (answer) => send({ ...answer, id: message.id }),
        (error: unknown) => send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The parent died or closed the channel: nothing is left to serve.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port } satisfies ReadyMessage);
}

/** In the child: tell the parent why start-up failed, then exit. */
export function reportStartupFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error);
  if (process.send) process.send({ type: 'failed', error: message }, () => process.exit(1));
  else process.exit(1);
}

/** RSS after a full garbage collection (the child runs with --expose-gc). */
export function rssAfterGc(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().rss;
}
