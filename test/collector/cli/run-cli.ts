// Runs the operator CLI in this process on a test database, capturing what it prints.
import type { Connection } from 'mongoose';
import { commands } from '../../../collector/cli';
import { runCli } from '../../../collector/cli/run';
import type { Config } from '../../../collector/config';

export interface CliResult {
  code: number;
  out: string;
  err: string;
  /** How many times the CLI opened the database. */
  opened: number;
}

export function cliRunner(config: () => Config, connection: () => Connection) {
  return async (...argv: string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    let opened = 0;
    const open = async () => {
      opened += 1;
      return { config: config(), connection: connection(), close: async () => {} };
    };
    const code = await runCli(
      commands,
      argv,
      { print: (line) => out.push(line), error: (line) => err.push(line) },
      open,
    );
    return { code, out: out.join('\n'), err: err.join('\n'), opened };
  };
}
