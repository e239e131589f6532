// `npm run cli -- <command> [options]`: the operator CLI. To add a command, write it in
// commands/ (see command.ts for the shape) and register it in the list below: one line.
import { loadConfig } from '../config';
import { openConnection } from '../db/connection';
import { startEngine } from '../db/engine';
import { exitWithStartupError } from '../server';
import type { Command } from './command';
import { apiKeyCreate, apiKeyList, apiKeyRevoke } from './commands/api-key';
import { adminCreate } from './commands/admin';
import { couponsCreate, couponsDeactivate, couponsList } from './commands/coupons';
import { partnersDisable, partnersFreeze, partnersList, partnersUnfreeze } from './commands/partners';
import { payoutsComplete, payoutsExport, payoutsList, payoutsRun } from './commands/payouts';
import { retentionRun } from './commands/retention';
import { statsRebuild } from './commands/stats';
import { webhooksCreate, webhooksDelete, webhooksList, webhooksTest } from './commands/webhooks';
import { runCli, type Database } from './run';

export const commands: Command[] = [
  apiKeyCreate,
  apiKeyList,
  apiKeyRevoke,
  adminCreate,
  partnersList,
  partnersFreeze,
  partnersUnfreeze,
  partnersDisable,
  payoutsRun,
  payoutsList,
  payoutsComplete,
  payoutsExport,
  statsRebuild,
  retentionRun,
  webhooksList,
  webhooksCreate,
  webhooksDelete,
  webhooksTest,
  couponsCreate,
  couponsList,
  couponsDeactivate,
];

/** The configured database (MONGODB_URI, else the embedded engine on the data folder). */
async function openDatabase(): Promise<Database> {
  const config = loadConfig();
  const engine = await startEngine(config.mongodbUri, {
    dataDir: config.dataDir,
    progress: (line) => console.error(line),
  });
  try {
    const connection = await openConnection(engine.uri);
    return {
      config,
      connection,
      close: async () => {
        await connection.close();
        await engine.stop();
      },
    };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}

if (require.main === module) {
  runCli(
    commands,
    process.argv.slice(2),
    { print: (line) => console.log(line), error: (line) => console.error(line) },
    openDatabase,
  ).then((code) => process.exit(code), exitWithStartupError);
}
