// `partners list|freeze|unfreeze|disable`: the operator's partner controls, audited like the API's.
import { decodeCursor } from '../../domain/cursor';
import type { PartnerFilter } from '../../domain/partner-directory';
import { partnerStatuses } from '../../models/partner';
import { changePartnerStatus, type SettableStatus } from '../../services/partner-status';
import { listPartners } from '../../services/records';
import { formatTable, onePositional, oneOf, requiredOption, UsageError, type Command } from '../command';
import { cliActor } from './operator';

export const partnersList: Command = {
  name: 'partners list',
  summary: 'Lists partners, newest first (filter by status, search email or name).',
  usage: '[--status pending|active|frozen|disabled] [--search <text>] [--limit <n>]',
  options: { status: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' } },
  async run(values, _positionals, cli) {
    const filter: PartnerFilter = {};
    if (typeof values.status === 'string') filter.status = oneOf(values.status, partnerStatuses, 'status');
    if (typeof values.search === 'string') filter.q = values.search;
    const limit = typeof values.limit === 'string' ? Number(values.limit) : 100;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
    // The API's list, read on page after page (a filtered page may be short) until enough are found.
    const partners: Array<Awaited<ReturnType<typeof listPartners>>['items'][number]> = [];
    let cursor: string | undefined;
    do {
      const page = await listPartners(cli, filter, { limit: Math.min(limit - partners.length, 200), cursor });
      partners.push(...page.items);
      cursor = page.nextCursor === null ? undefined : decodeCursor(page.nextCursor);
    } while (cursor !== undefined && partners.length < limit);
    cli.print(
      formatTable(
        partners.map((partner) => ({
          partnerId: partner.partnerId,
          name: partner.name,
          email: partner.email,
          status: partner.status,
          rate: partner.commissionRate,
          payoutEmail: partner.payoutEmail,
          createdAt: partner.createdAt,
        })),
        ['partnerId', 'name', 'email', 'status', 'rate', 'payoutEmail', 'createdAt'],
      ),
    );
  },
};

function statusCommand(word: string, status: SettableStatus, summary: string): Command {
  return {
    name: `partners ${word}`,
    summary,
    usage: '<partnerId> --reason <text>',
    options: { reason: { type: 'string' } },
    async run(values, positionals, cli) {
      const partnerId = onePositional(positionals, 'partner ID');
      const reason = requiredOption(values, 'reason');
      const change = await changePartnerStatus(cli, { partnerId, status, reason, actor: cliActor() });
      cli.print(
        formatTable([
          {
            partnerId,
            from: change.from,
            to: change.status,
            ...(change.reversed
              ? { reversedEntries: change.reversed.count, reversedAmount: change.reversed.amount }
              : {}),
          },
        ]),
      );
    },
  };
}

export const partnersFreeze = statusCommand(
  'freeze',
  'frozen',
  'Freezes a partner for review: commissions accrue but are withheld from payouts.',
);
export const partnersUnfreeze = statusCommand(
  'unfreeze',
  'active',
  'Makes a partner active again (releases a freeze).',
);
export const partnersDisable = statusCommand(
  'disable',
  'disabled',
  'Disables a partner: no login, dead links, every unpaid commission reversed.',
);
