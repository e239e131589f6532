// An embedded engine of the test file's own (not the run's shared one), for tests that kill it:
// `kill()` is kill -9, `start()` brings it back on the same port and data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEngine, type Engine } from '../../collector/db/engine';

export class TestEngine {
  private engine: Engine | undefined;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** Starts FerretDB (never a mongod on PATH, never MONGODB_URI) in a fresh temporary folder. */
  static async start(): Promise<TestEngine> {
    const engine = new TestEngine(mkdtempSync(join(tmpdir(), 'ashop-engine-')), await freePort());
    await engine.start();
    return engine;
  }

  /** Connection string without a database name (add one with withDatabase). */
  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  get pid(): number | undefined {
    return this.engine?.pid;
  }

  /** (Re)starts the engine on the same port and data folder. */
  async start(): Promise<void> {
    this.engine = await startEngine(undefined, { dataDir: this.dataDir, port: this.port, preferFerret: true });
  }

  /** kill -9; resolves once the process is gone. */
  async kill(): Promise<void> {
    const engine = this.engine;
    if (!engine?.pid) return;
    process.kill(engine.pid, 'SIGKILL');
    await engine.stop();
  }

  /** Stops the engine and removes its folder. */
  async dispose(): Promise<void> {
    await this.engine?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A TestEngine for the calling test file: started in beforeAll, removed in afterAll. */
export function useTestEngine(): () => TestEngine {
  let engine: TestEngine | undefined;
  beforeAll(async () => {
    engine = await TestEngine.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.dispose();
  });
  return () => {
    if (!engine) throw new Error('the test engine starts in beforeAll');
    return engine;
  };
}
