// The CLI's building blocks: a command is a name ("api-key create"), its options and a run
// function; the dispatcher parses argv, opens the database, runs it and closes everything.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import type { Models } from '../models';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CliContext {
  config: Config;
  connection: Connection;
  models: Models;
  /** Where output goes (stdout in use, a buffer in tests). */
  print(line: string): void;
}

export interface Command {
  /** Words typed to select it, e.g. "api-key create". */
  name: string;
  summary: string;
  /** Option synopsis shown in help, e.g. "--scope track|admin [--label <text>]". */
  usage: string;
  options: Options;
  run(values: Values, positionals: string[], cli: CliContext): Promise<void>;
}

/** A mistake of the operator's: printed as one line (plus the command's usage), exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Finds the longest command name that prefixes argv; the rest are its arguments. */
export function selectCommand(
  commands: readonly Command[],
  argv: readonly string[],
): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export function parseCommandArgs(command: Command, rest: string[]): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A required string option, or a UsageError naming it. */
export function requiredOption(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
}

/** The one positional argument a command takes (an ID), or a UsageError saying what to give. */
export function onePositional(positionals: readonly string[], what: string): string {
  const [value] = positionals;
  if (!value || positionals.length > 1) throw new UsageError(`give exactly one ${what}`);
  return value;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

export function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map(
    (c) => `  ${c.name.padEnd(width)}  ${c.usage}`.trimEnd() + `\n  ${''.padEnd(width)}  ${c.summary}`,
  );
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${lines.join('\n')}`;
}

/** Rows as an aligned text table with a header line; numbers align right. */
export function formatTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const keys = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (rows.length === 0) return '(none)';
  const text = (value: unknown) =>
    value === undefined || value === null ? '' : value instanceof Date ? value.toISOString() : String(value);
  const cells = rows.map((row) => keys.map((key) => text(row[key])));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((line) => line[i]!.length)));
  const numeric = keys.map((key) => rows.every((row) => row[key] === undefined || typeof row[key] === 'number'));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
