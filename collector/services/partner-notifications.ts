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
  const partner = await models.Partner.findById(partnerId, { email: 1, name: 1, status: 1, notifications: 1 }).lean();
  const prefs = (partner?.notifications ?? {}) as Partial<Record<NotificationKind, boolean>>;
  if (!partner || prefs[kind] === false) return false;
  // A disabled partner hears only of status changes (the disable itself), not of earnings.
  if (partner.status === 'disabled' && kind !== 'statusChange') return false;
  const token = encodeURIComponent(unsubscribeToken(config.jwtSecret, partnerId, kind));
  return queueMail(models, {
    key: `notify:${kind}:${mail.key}`,
    to: partner.email,
    subject: mail.subject,
    // A person lands on the site's page, which asks before it turns anything off (a mail scanner
    // opening the link changes nothing); a mail client's one-click button POSTs to the API.
    text: [
      `Hello ${partner.name},`,
      '',
      ...mail.lines,
      '',
      `Stop these emails: ${config.siteUrl}/partners/unsubscribe?token=${token}`,
    ].join('\n'),
    unsubscribeUrl: `${config.publicUrl}/v1/partners/unsubscribe?token=${token}`,
  });
}

function unsubscribeTarget(config: ServiceDeps['config'], token: string) {
  const parsed = parseUnsubscribeToken(config.jwtSecret, token);
  const kind = notificationKinds.find((known) => known === parsed?.kind);
  if (!parsed || !kind) throw new DomainError('invalid', 'This link is invalid.', 'invalid-token');
  return { partnerId: parsed.partnerId, kind };
}

/** What a signed unsubscribe token would turn off, and whether it is on now; changes nothing. */
export async function unsubscribeState(
  { config, models }: ServiceDeps,
  token: string,
): Promise<{ kind: NotificationKind; subscribed: boolean }> {
  const { partnerId, kind } = unsubscribeTarget(config, token);
  const partner = await models.Partner.findById(partnerId, { notifications: 1 }).lean();
  const prefs = (partner?.notifications ?? {}) as Partial<Record<NotificationKind, boolean>>;
  return { kind, subscribed: Boolean(partner) && prefs[kind] !== false };
}

/** Turns off the notification kind named by a signed unsubscribe token. */
export async function unsubscribe({ config, models }: ServiceDeps, token: string): Promise<NotificationKind> {
  const { partnerId, kind } = unsubscribeTarget(config, token);
  await models.Partner.updateOne({ _id: partnerId }, { $set: { [`notifications.${kind}`]: false } });
  return kind;
}
