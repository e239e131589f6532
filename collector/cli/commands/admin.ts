// `admin create --email x [--password y]`: an operator account for the admin console / API.
import { randomBytes } from 'node:crypto';
import { emailSchema, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordSchema } from '../../domain/account-fields';
import { createAdmin } from '../../services/admins';
import { formatTable, requiredOption, UsageError, type Command } from '../command';
import { cliActor } from './operator';

export const adminCreate: Command = {
  name: 'admin create',
  summary:
    'Creates an operator who logs in at /v1/auth/login for an admin token. Without --password one is generated and shown once.',
  usage: '--email <email> [--password <password>]',
  options: { email: { type: 'string' }, password: { type: 'string' } },
  async run(values, _positionals, cli) {
    const email = requiredOption(values, 'email');
    if (!emailSchema.safeParse(email).success) throw new UsageError('--email must be an email address');
    const given = typeof values.password === 'string' ? values.password : undefined;
    if (given !== undefined && !passwordSchema.safeParse(given).success)
      throw new UsageError(`--password must be ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters`);
    const password = given ?? randomBytes(12).toString('base64url');
    const admin = await createAdmin(cli, email, password, cliActor());
    cli.print(formatTable([{ ...admin, ...(given ? {} : { password }) }]));
    if (!given) cli.print('\nStore the password now: it is shown only once.');
  },
};
