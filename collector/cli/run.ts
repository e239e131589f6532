// Runs one CLI invocation: select the command, parse its options, open the database, run, close.
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import { createModels, syncIndexes } from '../models';
import { helpText, parseCommandArgs, selectCommand, UsageError, type Command } from './command';

export interface Database {
  config: Config;
  connection: Connection;
  close(): Promise<void>;
}

export interface CliIo {
  print(line: string): void;
  error(line: string): void;
}

/** Returns the exit code: 0 done, 1 failed, 2 usage error. The database is opened only for a valid command. */
export async function runCli(
  commands: readonly Command[],
  argv: readonly string[],
  io: CliIo,
  open: () => Promise<Database>,
): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.print(helpText(commands));
    return 0;
  }
  const selected = selectCommand(commands, argv);
  if (!selected) {
    io.error(`Unknown command: ${argv.join(' ')}\n\n${helpText(commands)}`);
    return 2;
  }
  const { command, rest } = selected;
  let database: Database | undefined;
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    database = await open();
    const models = createModels(database.connection);
    await syncIndexes(models);
    await command.run(values, positionals, {
      config: database.config,
      connection: database.connection,
      models,
      print: io.print,
    });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.error(`${command.name}: ${error.message}\nUsage: npm run cli -- ${command.name} ${command.usage}`.trimEnd());
      return 2;
    }
    io.error(`${command.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database?.close();
  }
}
