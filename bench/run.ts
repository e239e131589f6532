// `npm run bench [-- --quick] [-- --only=sdk,ingestion,billing,history,engine,processes]`: every benchmark in one run,
// one table, bench/results.json, and a non-zero exit when a target is missed or not measured.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEngine, type Engine } from '../collector/db/engine';
import { benchBilling } from './sections/billing';
import { benchEngine } from './sections/engine';
import { benchProcesses } from './sections/processes';
import { benchIngestion } from './sections/ingestion';
import { benchHistory } from './sections/history';
import { benchSdk } from './sections/sdk';
import { notMeasured, reasonOf, type BenchOptions, type SectionResult } from './lib/section';
import { renderTable, type Row } from './lib/table';

const sections: Record<string, (options: BenchOptions) => Promise<SectionResult>> = {
  sdk: benchSdk,
  ingestion: benchIngestion,
  billing: benchBilling,
  history: benchHistory,
  engine: benchEngine,
  processes: benchProcesses,
};

/** Keys of the collectors under load (loopback only, thrown away with the run). */
const benchServerKey = 'bench-server-key-0123456789';
const benchAdminKey = 'bench-admin-key-0123456789';

function parseArgs(argv: string[]): { quick: boolean; only: string[] } {
  let quick = false;
  let only = Object.keys(sections);
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',').filter(Boolean);
    else throw new Error(`unknown argument ${arg} (use --quick, --only=${Object.keys(sections).join(',')})`);
  }
  const unknown = only.filter((name) => !sections[name]);
  if (unknown.length > 0) throw new Error(`unknown section(s): ${unknown.join(', ')}`);
  return { quick, only };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // BENCH_DATA_DIR keeps the engine's files between runs (the history section then loads each size
  // once and measures it again with another version of the collector).
  const keptDir = process.env.BENCH_DATA_DIR;
  const dataDir = keptDir
    ? (mkdirSync(keptDir, { recursive: true }), keptDir)
    : mkdtempSync(join(tmpdir(), 'ashop-bench-'));
  const dbPrefix = `bench_${randomBytes(3).toString('hex')}`;
  let engine: Engine | undefined;

  const cleanup = async () => {
    if (engine?.kind === 'external')
      await dropDatabases(engine.uri, dbPrefix).catch((error) =>
        log(`could not drop ${dbPrefix}_*: ${reasonOf(error)}`),
      );
    await engine?.stop();
    if (!keptDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: stopping the engine and the servers');
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    engine = await startEngine(process.env.MONGODB_URI || undefined, { dataDir, progress: log });
    log(`engine: ${engine.kind}; mode: ${args.quick ? 'quick' : 'full'}; sections: ${args.only.join(', ')}`);
    const options: BenchOptions = {
      quick: args.quick,
      mongodbUri: engine.uri,
      engineKind: engine.kind,
      dbPrefix,
      log,
      collectorEnv: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BENCH_MONGODB_URI: engine.uri,
        ASHOP_JWT_SECRET: randomBytes(32).toString('base64url'),
        ASHOP_SIGNUP_SECRET: randomBytes(32).toString('base64url'),
        ASHOP_SERVER_KEY: benchServerKey,
        ASHOP_ADMIN_KEY: benchAdminKey,
        ASHOP_SITE_URL: 'http://localhost:8080',
        ASHOP_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
    };
    const rows: Row[] = [];
    const data: Record<string, unknown> = {};
    for (const name of args.only) {
      log(`\n== ${name}`);
      const sectionStarted = Date.now();
      try {
        const result = await sections[name]!(options);
        rows.push(...result.rows);
        data[name] = result.data;
      } catch (error) {
        log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        rows.push(notMeasured(name, 'section', 'all targets', reasonOf(error)));
        data[name] = { error: reasonOf(error) };
      }
      log(`   ${name} took ${((Date.now() - sectionStarted) / 1000).toFixed(1)} s`);
    }

    const table = renderTable(rows);
    process.stdout.write(`\n${table}\n\n`);
    const missed = rows.filter(
      (row) => row.verdict === 'FAIL' || (row.verdict === 'not measured' && row.target !== ''),
    );
    const results = {
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      mode: args.quick ? 'quick' : 'full',
      sections: args.only,
      engine: engine.kind,
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        platform: process.platform,
      },
      rows,
      missed: missed.map((row) => `${row.section}: ${row.metric}`),
      data,
      table,
    };
    writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `${missed.length === 0 ? 'All targets met.' : `Targets missed or not measured: ${missed.length}.`} ` +
        `Results in bench/results.json (${results.durationSeconds} s).\n`,
    );
    return missed.length === 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

async function dropDatabases(uri: string, prefix: string): Promise<void> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    const { databases } = await connection.getClient().db().admin().listDatabases();
    for (const { name } of databases)
      if (name.startsWith(`${prefix}_`)) await connection.getClient().db(name).dropDatabase();
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
