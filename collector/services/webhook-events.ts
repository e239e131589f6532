// Records a webhook event right after the fact that caused it: an insert under an ID derived from
// the fact, so recording the fact again (a replay, a retry after a crash) adds nothing, and an
// event once stored is delivered even if the process dies the next moment (the dispatcher reads
// the stored events).
import { webhookEventId, type WebhookEventType } from '../domain/webhooks';
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';

export async function emitWebhookEvent(
  models: Pick<Models, 'WebhookEvent'>,
  type: WebhookEventType,
  /** What makes the fact unique, e.g. the ledger entry's ID. */
  factKey: string,
  data: Record<string, unknown>,
  now = new Date(),
): Promise<void> {
  const key = `${type}:${factKey}`;
  try {
    await models.WebhookEvent.create({ _id: webhookEventId(key), type, key, data, createdAt: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
