// First step of `npm test`: make sure this machine has what the tests drive for real (headless
// Chromium, and Go to build the embedded engine when no MONGODB_URI or mongod is given). As root on
// Debian it installs what is missing with apt-get, showing apt's progress; anywhere else it stops at
// once with one sentence saying what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromiumCandidates } from '../test/support/chromium-path';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

const missing: string[] = [];
if (!chromiumCandidates().some((path) => existsSync(path))) missing.push('chromium', 'fonts-liberation');
const needsGo = !process.env.MONGODB_URI && !onPath('mongod') && !onPath('go');
if (needsGo) missing.push('golang-go');

if (missing.length > 0) {
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    console.error(
      `npm test needs ${missing.join(', ')}: install them (Debian: sudo apt-get install ${missing.join(' ')}), or set CHROMIUM_PATH / MONGODB_URI.`,
    );
    process.exit(1);
  }
  console.log(`Installing what the tests need: ${missing.join(', ')} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (!run(['update']) || !run(['install', '-y', '--no-install-recommends', ...missing])) {
    console.error(`Installing ${missing.join(', ')} with apt-get failed (see above); install them by hand.`);
    process.exit(1);
  }
}
