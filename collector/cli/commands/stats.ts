// `stats rebuild`: recomputes the counters partners and operators see from the stored facts.
import pino from 'pino';
import { addDays, utcDay } from '../../domain/days';
import { StatsFolder } from '../../services/stats-folder';
import { rebuildMoney } from '../../services/money-rebuild';
import { rebuildStats } from '../../services/stats-rebuild';
import { UsageError, type Command, type Values } from '../command';

const defaultDays = 366;

function dayOption(values: Values, name: string, fallback: string): string {
  const value = values[name];
  if (value === undefined) return fallback;
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    utcDay(new Date(`${value}T00:00:00Z`)) !== value
  )
    throw new UsageError(`--${name} must be a date YYYY-MM-DD`);
  return value;
}

export const statsRebuild: Command = {
  name: 'stats rebuild',
  summary: `Recomputes the counters of a period (UTC days, default the last ${defaultDays}) and all statement lines, balances and customers from the facts; safe while collectors run, and idempotent.`,
  usage: '[--from YYYY-MM-DD] [--to YYYY-MM-DD]',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  async run(values, _positionals, cli) {
    const today = utcDay(new Date());
    const to = dayOption(values, 'to', today);
    const from = dayOption(values, 'from', utcDay(addDays(new Date(`${to}T00:00:00Z`), 1 - defaultDays)));
    if (from > to) throw new UsageError('--from must not be after --to');
    const folder = new StatsFolder(cli.models, pino({ level: 'warn' }), {
      foldMs: cli.config.statsFoldMs,
      graceMs: cli.config.statsGraceMs,
    });
    const started = Date.now();
    const result = await rebuildStats(cli.models, folder, { from, to }, (line) => cli.print(line));
    const { clicks, signups, invoices, refunds, pending } = result.facts;
    cli.print(
      `Rebuilt ${from}..${to} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.buckets} documents from ` +
        `${clicks} clicks, ${signups} signups, ${invoices} invoices, ${refunds} refunds` +
        (pending > 0 ? ` (${pending} facts still pending were left to the folder)` : ''),
    );
    const money = await rebuildMoney(cli.models, folder, (line) => cli.print(line));
    await folder.flush();
    cli.print(
      `Rebuilt statement lines, balances and customers from ${money.entries} ledger entries, ${money.customers} customers and ${money.invoices} invoices`,
    );
  },
};
