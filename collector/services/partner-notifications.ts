// Partner notification emails, sent only when the partner's preference for that kind is on
// (services/partner-settings.ts), queued under a key derived from the fact so a replay does not
// mail twice, each with a signed link that turns that kind off.
import { parseUnsubscribeToken, unsubscribeToken } from '../auth/unsubscribe-tokens';
import { DomainError } from '../domain/errors';
import type { ServiceDeps } from './deps';
import { queueMail } from './mail-queue';
import { notificationKinds, type NotificationKind } from './partner-settings';

export async function notifyPartner(
  deps: ServiceDeps,
  partnerId: string,
  kind: NotificationKind,
  mail: { key: string; subject: string; lines: string[] },
): Promise<boolean> {
  const { config, models } = deps;
  const partner = await models.Partner.findById(partnerId, { email: 1, name: 1, notifications: 1 }).lean();
  const prefs = (partner?.notifications ?? {}) as Partial<Record<NotificationKind, boolean>>;
  if (!partner || prefs[kind] === false) return false;
  const link = `${config.publicUrl}/v1/partners/unsubscribe?token=${encodeURIComponent(unsubscribeToken(config.jwtSecret, partnerId, kind))}`;
  return queueMail(models, {
    key: `notify:${kind}:${mail.key}`,
    to: partner.email,
    subject: mail.subject,
    text: [`Hello ${partner.name},`, '', ...mail.lines, '', `Stop these emails: ${link}`].join('\n'),
  });
}

/** Turns off the notification kind named by a signed unsubscribe token. */
export async function unsubscribe({ config, models }: ServiceDeps, token: string): Promise<NotificationKind> {
  const parsed = parseUnsubscribeToken(config.jwtSecret, token);
  const kind = notificationKinds.find((known) => known === parsed?.kind);
  if (!parsed || !kind) throw new DomainError('invalid', 'This link is invalid.', 'invalid-token');
  await models.Partner.updateOne({ _id: parsed.partnerId }, { $set: { [`notifications.${kind}`]: false } });
  return kind;
}
