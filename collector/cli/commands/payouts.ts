// `payouts run|list|complete|export`: payout batches from the command line.
import { parseInstant } from '../../domain/bounds';
import { paypalMassPaymentCsv, paypalPayoutsRequest, sumAmounts } from '../../domain/payout';
import { formatMinor } from '../../domain/money';
import { batchOf, completePayout, findPayout, payoutView, runPayout } from '../../services/payouts';
import { formatTable, oneOf, requiredOption, UsageError, type Command } from '../command';
import { cliActor } from './operator';

function parseAsOf(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const date = parseInstant(text);
  if (!date) throw new UsageError('--as-of must be a date (YYYY-MM-DD) or an ISO-8601 time with offset');
  return date;
}

const money = (amount: number) => formatMinor(amount);

export const payoutsRun: Command = {
  name: 'payouts run',
  summary:
    'Runs a payout batch as of a time (default now): pays balances ≥ the minimum, withholds the rest. --preview locks nothing.',
  usage: '[--as-of YYYY-MM-DD|ISO time] [--preview]',
  options: { 'as-of': { type: 'string' }, preview: { type: 'boolean' } },
  async run(values, _positionals, cli) {
    const asOf = parseAsOf(typeof values['as-of'] === 'string' ? values['as-of'] : undefined);
    const preview = values.preview === true;
    const run = await runPayout(cli, { asOf, actor: cliActor(), preview });
    const total = run.items.reduce((sum, item) => sum + item.amount, 0);
    cli.print(
      preview
        ? `Preview as of ${asOf.toISOString()}${run.forecast ? ' (a forecast)' : ''} (nothing locked)`
        : run.payoutId
          ? `Payout ${run.payoutId} as of ${asOf.toISOString()}`
          : `Nobody to pay as of ${asOf.toISOString()}: no batch created`,
    );
    cli.print(`\nPaid (${run.items.length}, ${money(total)} ${run.currency}):`);
    cli.print(
      formatTable(
        run.items.map((item) => ({ ...item, amount: money(item.amount) })),
        ['partnerId', 'payoutEmail', 'amount'],
      ),
    );
    cli.print(`\nWithheld (${run.withheld.length}):`);
    cli.print(
      formatTable(
        run.withheld.map((item) => ({ ...item, balance: money(item.balance) })),
        ['partnerId', 'reason', 'balance'],
      ),
    );
  },
};

export const payoutsList: Command = {
  name: 'payouts list',
  summary: 'Lists payout batches, newest first.',
  usage: '',
  options: {},
  async run(_values, _positionals, cli) {
    const payouts = await cli.models.Payout.find().sort({ createdAt: -1 }).limit(100).lean();
    cli.print(
      formatTable(
        payouts.map(payoutView).map((payout) => ({
          payoutId: payout.payoutId,
          asOf: payout.asOf,
          status: payout.status,
          items: payout.items.length,
          total: money(payout.total),
          createdBy: payout.createdBy,
        })),
        ['payoutId', 'asOf', 'status', 'items', 'total', 'createdBy'],
      ),
    );
  },
};

export const payoutsComplete: Command = {
  name: 'payouts complete',
  summary: 'Marks a batch paid; items PayPal reported failed (--failed id,id) go back to the balance.',
  usage: '<payoutId> [--failed <partnerId,...>] [--note <text>]',
  options: { failed: { type: 'string' }, note: { type: 'string' } },
  async run(values, positionals, cli) {
    const payoutId = positionals[0];
    if (!payoutId || positionals.length > 1) throw new UsageError('give exactly one payout ID');
    const failed =
      typeof values.failed === 'string'
        ? values.failed
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean)
        : [];
    const note = typeof values.note === 'string' ? values.note : undefined;
    const payout = await completePayout(cli, { payoutId, failed, note, actor: cliActor() });
    const paid = payout.items.filter((item) => item.status === 'paid');
    cli.print(
      `Payout ${payout.payoutId} ${payout.status}: ${paid.length} paid (${money(sumAmounts(paid))} ${payout.currency}), ${payout.items.length - paid.length} failed`,
    );
    cli.print(
      formatTable(
        payout.items.map((item) => ({ ...item, amount: money(item.amount) })),
        ['partnerId', 'payoutEmail', 'amount', 'status'],
      ),
    );
  },
};

export const payoutsExport: Command = {
  name: 'payouts export',
  summary: "Prints a batch as PayPal's mass-payment CSV or the Payouts API request body (JSON).",
  usage: '<payoutId> --format csv|json',
  options: { format: { type: 'string' } },
  async run(values, positionals, cli) {
    const payoutId = positionals[0];
    if (!payoutId || positionals.length > 1) throw new UsageError('give exactly one payout ID');
    const format = oneOf(requiredOption(values, 'format'), ['csv', 'json'] as const, 'format');
    const batch = batchOf(await findPayout(cli, payoutId));
    cli.print(
      format === 'csv' ? paypalMassPaymentCsv(batch).trimEnd() : JSON.stringify(paypalPayoutsRequest(batch), null, 2),
    );
  },
};
