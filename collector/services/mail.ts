// Outgoing email: over SMTP (nodemailer) when SMTP_URL is set, otherwise kept in the `outbox`
// collection, which the demo site shows at /mail/.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';
import type { ServiceDeps } from './deps';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * A notification's one-click unsubscribe URL (RFC 8058): sent as `List-Unsubscribe` with
   * `List-Unsubscribe-Post`, so a mail client can offer its own unsubscribe button.
   */
  unsubscribeUrl?: string | undefined;
}

const transports = new WeakMap<Config, Transporter>();

function transportFor(config: Config, smtpUrl: string): Transporter {
  let transport = transports.get(config);
  if (!transport) {
    // Short timeouts: a sign-up waits for its email, and a dead mail server must not hang it for
    // nodemailer's default two minutes. Query parameters of SMTP_URL still win.
    transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    transports.set(config, transport);
  }
  return transport;
}

export async function sendMail({ config, models }: ServiceDeps, message: MailMessage): Promise<void> {
  const { unsubscribeUrl, ...mail } = message;
  if (config.smtpUrl) {
    await transportFor(config, config.smtpUrl).sendMail({
      from: config.mailFrom,
      ...mail,
      ...(unsubscribeUrl
        ? {
            headers: {
              'List-Unsubscribe': `<${unsubscribeUrl}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
          }
        : {}),
    });
    return;
  }
  await models.OutboxMessage.create({ from: config.mailFrom, ...message, createdAt: new Date() });
}
