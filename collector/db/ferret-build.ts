// Builds the embedded engine (collector/engine/ferretdb) once into .cache/bin/, with our patches to
// FerretDB's source applied to a copy of the downloaded module (collector/engine/README.md says
// why): the module cache is never changed and FerretDB's source is never committed here.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from '../paths';

const ferretSource = join(projectRoot, 'collector', 'engine', 'ferretdb');
const cacheDir = join(projectRoot, '.cache');
const binDir = join(cacheDir, 'bin');
/** Everything the binary is made from; its name carries their hash, so a change triggers a rebuild. */
const sourceFiles = ['main.go', 'go.mod', 'go.sum', 'patches.json'];

export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

interface SourcePatch {
  /** Module path as in go.mod, e.g. github.com/FerretDB/FerretDB. */
  module: string;
  /** File inside the module. */
  file: string;
  why: string;
  /** Text that must occur exactly once in the file, and what replaces it. */
  from: string;
  to: string;
}

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function ferretBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles) hash.update(readFileSync(join(ferretSource, file)));
  return join(binDir, `ashop-ferretdb-${hash.digest('hex').slice(0, 12)}`);
}

export async function ensureFerretBinary(progress: (line: string) => void): Promise<string> {
  const binary = ferretBinaryPath();
  if (existsSync(binary)) return binary;
  const go = findOnPath('go');
  if (!go) {
    throw new EngineUnavailableError(
      "No database engine: set MONGODB_URI, put MongoDB's mongod on PATH, or install Go 1.24+ so the embedded FerretDB can be built.",
    );
  }
  mkdirSync(binDir, { recursive: true });
  // A private work folder and a temporary binary name: two processes building at once both end
  // with a whole binary.
  const work = join(cacheDir, `ferretdb-build.${process.pid}`);
  const partial = `${binary}.${process.pid}.partial`;
  progress('Building the embedded FerretDB engine with Go (first run only, about a minute)...');
  const started = Date.now();
  const ticker = setInterval(
    () => progress(`  still building (${Math.round((Date.now() - started) / 1000)} s)...`),
    10_000,
  );
  try {
    const modfile = await patchedModules(go, work);
    const code = await run(go, ['build', '-trimpath', '-modfile', modfile, '-o', partial, '.']);
    if (code !== 0) {
      throw new EngineUnavailableError(
        `Building the embedded FerretDB failed (go build exited with ${code}); set MONGODB_URI or put mongod on PATH instead.`,
      );
    }
    renameSync(partial, binary);
  } finally {
    clearInterval(ticker);
    rmSync(partial, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
  progress(`  built in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
  return binary;
}

/**
 * Copies each patched module out of the module cache into `work`, applies patches.json, and
 * writes a go.mod (our own plus `replace` lines to the copies) for `go build -modfile`.
 */
async function patchedModules(go: string, work: string): Promise<string> {
  const patches = JSON.parse(readFileSync(join(ferretSource, 'patches.json'), 'utf8')) as SourcePatch[];
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const replaces: string[] = [];
  for (const module of [...new Set(patches.map((patch) => patch.module))]) {
    const source = await moduleDir(go, module);
    const copy = join(work, module.replace(/[^\w.-]/g, '_'));
    cpSync(source, copy, { recursive: true });
    // The module cache is read-only; the copy must be writable (and removable).
    makeWritable(copy);
    for (const patch of patches.filter((each) => each.module === module)) {
      const path = join(copy, patch.file);
      const text = readFileSync(path, 'utf8');
      if (text.split(patch.from).length !== 2) {
        throw new EngineUnavailableError(
          `The patch to ${module}/${patch.file} no longer applies (its source changed); update collector/engine/ferretdb/patches.json.`,
        );
      }
      writeFileSync(
        path,
        text.replace(patch.from, () => patch.to),
      );
    }
    replaces.push(`replace ${module} => ${copy}`);
  }
  const modfile = join(work, 'go.mod');
  writeFileSync(modfile, `${readFileSync(join(ferretSource, 'go.mod'), 'utf8')}\n${replaces.join('\n')}\n`);
  // -modfile reads the go.sum beside it.
  writeFileSync(join(work, 'go.sum'), readFileSync(join(ferretSource, 'go.sum')));
  return modfile;
}

async function moduleDir(go: string, module: string): Promise<string> {
  let output = '';
  const code = await run(go, ['mod', 'download', '-json', module], (chunk) => (output += chunk));
  const dir = code === 0 ? (JSON.parse(output) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new EngineUnavailableError(`Downloading ${module} failed (go mod download exited with ${code}).`);
  return dir;
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}

function run(command: string, args: string[], onStdout?: (chunk: string) => void): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: ferretSource,
      stdio: ['ignore', onStdout ? 'pipe' : 'inherit', 'inherit'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    child.stdout?.setEncoding('utf8').on('data', onStdout ?? (() => {}));
    child.on('error', fail);
    child.on('exit', done);
  });
}
