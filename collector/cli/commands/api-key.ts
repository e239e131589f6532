// `api-key create --scope track|admin [--label x]`: prints the new key once (only its hash is kept).
import { createApiKey } from '../../auth/api-keys';
import { apiKeyScopes } from '../../models/api-key';
import { formatTable, onePositional, oneOf, requiredOption, type Command } from '../command';

export const apiKeyCreate: Command = {
  name: 'api-key create',
  summary: 'Creates a server API key (track: signups, revenue, refunds, imports; admin: everything).',
  usage: '--scope track|admin [--label <text>]',
  options: { scope: { type: 'string' }, label: { type: 'string' } },
  async run(values, _positionals, cli) {
    const scope = oneOf(requiredOption(values, 'scope'), apiKeyScopes, 'scope');
    const label = typeof values.label === 'string' ? values.label : undefined;
    const key = await createApiKey(cli.models, scope, label);
    cli.print(formatTable([{ scope, label, key }], ['scope', 'label', 'key']));
    cli.print('\nStore the key now: it is shown only once.');
  },
};

export const apiKeyList: Command = {
  name: 'api-key list',
  summary: 'Lists API keys (prefix, scope, label, dates; never the keys).',
  usage: '',
  options: {},
  async run(_values, _positionals, cli) {
    const keys = await cli.models.ApiKey.find({}, { _id: 0 }).sort({ createdAt: 1 }).lean();
    cli.print(formatTable(keys, ['prefix', 'scope', 'label', 'createdAt', 'revokedAt']));
  },
};

export const apiKeyRevoke: Command = {
  name: 'api-key revoke',
  summary: 'Revokes the key(s) whose prefix is given (as shown by api-key list).',
  usage: '<prefix>',
  options: {},
  async run(_values, positionals, cli) {
    const prefix = onePositional(positionals, 'key prefix');
    const result = await cli.models.ApiKey.updateMany(
      { prefix, revokedAt: { $exists: false } },
      { $set: { revokedAt: new Date() } },
    );
    cli.print(`${result.modifiedCount} key(s) revoked.`);
  },
};
