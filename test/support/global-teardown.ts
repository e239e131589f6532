import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__ashopTestEngine;
  if (!running) return;
  await running.engine.stop();
  rmSync(running.dataDir, { recursive: true, force: true });
}
