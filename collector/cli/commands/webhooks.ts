// `webhooks list|create|delete|test`: outbound webhook endpoints from the command line.
import { webhookEventTypes, type WebhookEventType } from '../../domain/webhooks';
import { createEndpoint, deleteEndpoint, listEndpoints, sendTestEvent } from '../../services/webhook-endpoints';
import { formatTable, requiredOption, UsageError, type Command } from '../command';
import { cliActor } from './operator';

function onePositional(positionals: string[], what: string): string {
  const value = positionals[0];
  if (!value || positionals.length > 1) throw new UsageError(`give exactly one ${what}`);
  return value;
}

export const webhooksList: Command = {
  name: 'webhooks list',
  summary: 'Lists webhook endpoints (never their secrets).',
  usage: '',
  options: {},
  async run(_values, _positionals, cli) {
    const endpoints = await listEndpoints(cli);
    cli.print(
      formatTable(
        endpoints.map((endpoint) => ({ ...endpoint, events: endpoint.events.join(',') })),
        ['id', 'status', 'url', 'events', 'consecutiveFailures'],
      ),
    );
  },
};

export const webhooksCreate: Command = {
  name: 'webhooks create',
  summary: `Adds an endpoint for some events (${webhookEventTypes.join(', ')}); prints its signing secret once.`,
  usage: '--url <https://...> --events <type,type> [--description <text>]',
  options: { url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' } },
  async run(values, _positionals, cli) {
    const url = requiredOption(values, 'url');
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new UsageError('--url must be an http(s) URL');
    const events = requiredOption(values, 'events')
      .split(',')
      .map((event) => event.trim())
      .filter(Boolean);
    const unknown = events.filter((event) => !(webhookEventTypes as readonly string[]).includes(event));
    if (events.length === 0 || unknown.length)
      throw new UsageError(`--events must be some of: ${webhookEventTypes.join(', ')}`);
    const description = typeof values.description === 'string' ? values.description : undefined;
    const endpoint = await createEndpoint(
      cli,
      { url, events: [...new Set(events)] as WebhookEventType[], description },
      cliActor(),
    );
    cli.print(formatTable([{ ...endpoint, events: endpoint.events.join(',') }], ['id', 'url', 'events', 'secret']));
    cli.print(
      '\nVerify each delivery with the secret (Ashop-Signature); `GET /v1/admin/webhooks/<id>` shows it again.',
    );
  },
};

export const webhooksDelete: Command = {
  name: 'webhooks delete',
  summary: 'Deletes an endpoint (nothing more is sent to it).',
  usage: '<endpointId>',
  options: {},
  async run(_values, positionals, cli) {
    const id = onePositional(positionals, 'endpoint ID');
    await deleteEndpoint(cli, id, cliActor());
    cli.print(`Deleted ${id}.`);
  },
};

export const webhooksTest: Command = {
  name: 'webhooks test',
  summary: 'Queues a webhook.test event for one endpoint; the running collector sends it.',
  usage: '<endpointId>',
  options: {},
  async run(_values, positionals, cli) {
    const queued = await sendTestEvent(cli, onePositional(positionals, 'endpoint ID'));
    cli.print(`Queued ${queued.eventId} (delivery ${queued.deliveryId}).`);
  },
};
