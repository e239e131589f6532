// `admin create --email x [--password y]`: an operator account for the admin console / API.
import { randomBytes } from 'node:crypto';
import { createAdmin } from '../../services/admins';
import { formatTable, requiredOption, UsageError, type Command } from '../command';
import { cliActor } from './operator';

export const adminCreate: Command = {
  name: 'admin create',
  summary: 'Creates an operator who logs in at /v1/auth/login for an admin token. Without --password one is generated and shown once.',
  usage: '--email <email> [--password <password>]',
  options: { email: { type: 'string' }, password: { type: 'string' } },
  async run(values, _positionals, cli) {
    const email = requiredOption(values, 'email');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--email must be an email address');
    const given = typeof values.password === 'string' ? values.password : undefined;
    if (given !== undefined && given.length < 8) throw new UsageError('--password must be at least 8 characters');
    const password = given ?? randomBytes(12).toString('base64url');
    const admin = await createAdmin(cli, email, password, cliActor());
    cli.print(formatTable([{ ...admin, ...(given ? {} : { password }) }]));
    if (!given) cli.print('\nStore the password now: it is shown only once.');
  },
};
