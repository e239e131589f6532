// First step of `npm test`: make sure this machine has what the tests drive for real (headless
// Chromium, and Go 1.24+ to build the embedded engine when no MONGODB_URI or mongod is given). As root
// on Debian it installs what is missing with apt-get, showing apt's progress; anywhere else, or when
// what apt offers is too old, it stops at once with one sentence saying what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromiumCandidates } from '../test/support/chromium-path';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** The local Go toolchain's minor version (1.N), or undefined when it cannot be read. */
function goMinor(): number | undefined {
  const result = spawnSync('go', ['env', 'GOVERSION'], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  const match = /^go1\.(\d+)/.exec(result.stdout?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Go 1.24 builds the engine; from Go 1.21 on, GOTOOLCHAIN=auto fetches 1.24 by itself. */
const goIsEnough = (minor: number | undefined) =>
  minor !== undefined && (minor >= 24 || (minor >= 21 && /auto$/.test(process.env.GOTOOLCHAIN ?? '')));

/** The minor version of the Go that apt would install (Debian 12 offers 1.19, too old). */
function aptGoMinor(): number | undefined {
  const policy = spawnSync('apt-cache', ['policy', 'golang-go'], { encoding: 'utf8' }).stdout ?? '';
  const match = /Candidate:\s*(?:\d+:)?1\.(\d+)/.exec(policy);
  return match ? Number(match[1]) : undefined;
}

const goAdvice =
  'Go 1.24+ (https://go.dev/dl/; or Go 1.21+ with GOTOOLCHAIN=auto) to build the embedded engine, or MONGODB_URI set';

const packages: string[] = [];
if (!chromiumCandidates().some((path) => existsSync(path))) packages.push('chromium', 'fonts-liberation');
const needsGo = !process.env.MONGODB_URI && !onPath('mongod');
const goMissing = needsGo && !onPath('go');

if (packages.length > 0 || goMissing) {
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    const what = [
      ...(packages.length > 0
        ? [`${packages.join(', ')} (Debian: sudo apt-get install ${packages.join(' ')}, or set CHROMIUM_PATH)`]
        : []),
      ...(goMissing ? [goAdvice] : []),
    ];
    console.error(`npm test needs ${what.join(' and ')}.`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  console.log('Looking for what the tests need with apt-get...');
  if (!run(['update'])) {
    console.error('apt-get update failed (see above); install Chromium and Go by hand.');
    process.exit(1);
  }
  // apt's Go only when it can build the engine; otherwise the check below says what to install.
  if (goMissing && goIsEnough(aptGoMinor())) packages.push('golang-go');
  if (packages.length > 0) {
    console.log(`Installing ${packages.join(', ')} (apt-get)...`);
    if (!run(['install', '-y', '--no-install-recommends', ...packages])) {
      console.error(`Installing ${packages.join(', ')} with apt-get failed (see above); install them by hand.`);
      process.exit(1);
    }
  }
}

const found = needsGo && onPath('go') ? goMinor() : undefined;
if (needsGo && !goIsEnough(found)) {
  console.error(`npm test needs ${goAdvice}${found === undefined ? '' : ` (found Go 1.${found})`}.`);
  process.exit(1);
}
