// `retention run`: the collector's hourly retention job, now (e.g. from cron when no collector runs).
import { runRetention } from '../../services/retention';
import type { Command } from '../command';

export const retentionRun: Command = {
  name: 'retention run',
  summary:
    'Deletes what is past its keep time now: raw clicks, visitor histories, applied stats deltas, sent mail, the webhook delivery log and the strikes of ended webhook failure streaks.',
  usage: '',
  options: {},
  async run(_values, _positionals, cli) {
    const deleted = await runRetention(cli);
    const total = Object.values(deleted).reduce((sum, count) => sum + count, 0);
    cli.print(
      total === 0
        ? 'Nothing to delete.'
        : `Deleted ${Object.entries(deleted)
            .map(([what, count]) => `${count} ${what}`)
            .join(', ')}.`,
    );
  },
};
