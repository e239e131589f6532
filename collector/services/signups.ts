// Signups (POST /v1/signups): bind a customer to the partner whose recorded click the referral
// names (DESIGN.md §6). Binding is an insert under the customerId: once, for life.
import type { Context } from '../context';
import { attribute, parseReferral, type Attribution } from '../domain/attribution';
import { isDuplicateKey } from './duplicates';
import { emitWebhookEvent } from './webhook-events';

export interface SignupInput {
  customerId: string;
  email?: string | undefined;
  /** The cookie's object or its raw value, as sent. */
  referral?: unknown;
  /** Signup time (imports by a server key); default now. */
  occurredAt?: Date | undefined;
}

export async function recordSignup(context: Context, input: SignupInput, now = new Date()): Promise<Attribution> {
  const { models, config } = context;
  const referral = parseReferral(input.referral);
  if (referral === undefined) return { attributed: false, reason: 'no_referral' };
  if (referral === null) return { attributed: false, reason: 'invalid_referral' };
  if (await models.Customer.exists({ _id: input.customerId })) return { attributed: false, reason: 'already_bound' };

  const signupAt = input.occurredAt ?? now;
  const [click, partner] = await Promise.all([
    models.Click.findById(referral.cid, { partnerId: 1, counted: 1, occurredAt: 1, bid: 1 }).lean(),
    models.Partner.findById(referral.aid, { status: 1, email: 1 }).lean(),
  ]);
  const decision = attribute({
    referral,
    click: click ?? undefined,
    partner: partner ?? undefined,
    signupAt,
    signupEmail: input.email,
    windowDays: config.cookieDays,
  });
  if (!decision.attributed || !click) return decision;
  await context.tracking.stats.record('signup', input.customerId);
  try {
    await models.Customer.create({
      _id: input.customerId,
      partnerId: decision.partnerId,
      clickId: click._id,
      bid: click.bid,
      email: input.email,
      boundAt: signupAt,
    });
  } catch (error) {
    if (isDuplicateKey(error)) return { attributed: false, reason: 'already_bound' };
    throw error;
  }
  await emitWebhookEvent(models, 'customer.attributed', input.customerId, {
    customerId: input.customerId,
    partnerId: decision.partnerId,
    bid: click.bid ?? null,
    boundAt: signupAt,
  });
  return decision;
}
