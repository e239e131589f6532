// Starts one engine for the whole test run (MONGODB_URI when given, else the embedded engine in a
// temporary folder) and hands its URI to the test files through the environment.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../collector/db/engine';

declare global {
  var __ashopTestEngine: { engine: Engine; dataDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ashop-test-'));
  const engine = await startEngine(process.env.MONGODB_URI || undefined, {
    dataDir,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  globalThis.__ashopTestEngine = { engine, dataDir };
  process.env.ASHOP_TEST_MONGODB_URI = engine.uri;
  process.env.ASHOP_TEST_ENGINE = engine.kind;
}
