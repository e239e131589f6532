// Signups (POST /v1/signups): bind a customer to the partner the evidence names (README
// "Signups"): the referral's click, the visitor's other clicks in the server's history, or a coupon
// code. Binding is an insert under the customerId: once, for life.
import type { Context } from '../context';
import { attribute, parseReferral, sameEmail, type Referral } from '../domain/attribution';
import { checkCoupon, couponKey } from '../domain/coupon';
import { chooseEvidence, linkEvidence, type Evidence, type JudgedClick } from '../domain/signup-evidence';
import type { AttributionMethod } from '../domain/attribution-health';
import { recordSignupFact } from './attribution-report';
import { isDuplicateKey } from './duplicates';
import { notifyPartner } from './partner-notifications';
import { readVisitorHistory } from './visitor-history';
import { seam } from './seams';
import { customerAttributedData, customerFact, emitWebhookEvent } from './webhook-events';

export interface SignupInput {
  customerId: string;
  email?: string | undefined;
  /** The cookie's object or its raw value, as sent. */
  referral?: unknown;
  /** A partner's coupon code the customer gave (any case). */
  couponCode?: string | undefined;
  /** Signup time (imports by a server key); default now. */
  occurredAt?: Date | undefined;
}

export type SignupAnswer =
  | { attributed: true; partnerId: string; method: AttributionMethod }
  | { attributed: false; reason: Exclude<Evidence, { attributed: true }>['reason'] };

export async function recordSignup(context: Context, input: SignupInput, now = new Date()): Promise<SignupAnswer> {
  const { models, config } = context;
  const referral = parseReferral(input.referral);
  const hasCoupon = input.couponCode !== undefined;
  const signupAt = input.occurredAt ?? now;
  if (!hasCoupon && !referral) {
    // Nothing to judge: no read needed, but the health report counts the signup.
    const evidence = { attributed: false, reason: referral === null ? 'invalid_referral' : 'no_referral' } as const;
    await recordSignupFact(context, input.customerId, signupAt, evidence);
    return evidence;
  }
  if (await models.Customer.exists({ _id: input.customerId })) return { attributed: false, reason: 'already_bound' };

  const [link, coupon] = await Promise.all([
    referral === undefined
      ? undefined
      : referral === null
        ? ({ attributed: false, reason: 'invalid_referral' } as const)
        : judgeLink(context, referral, signupAt, input.email),
    hasCoupon ? judgeCouponCode(context, input.couponCode!, signupAt, input.email) : undefined,
  ]);
  const evidence = chooseEvidence(link, coupon, config.couponPrecedence);
  if (!evidence.attributed) {
    await recordSignupFact(context, input.customerId, signupAt, evidence);
    return evidence;
  }
  await context.tracking.stats.record('signup', input.customerId);
  // The event first, waiting for the binding: a binding is never made twice, so an event recorded
  // after it would be lost for good if the process died in between.
  await emitWebhookEvent(
    models,
    'customer.attributed',
    input.customerId,
    customerAttributedData({ _id: input.customerId, ...evidence, boundAt: signupAt }),
    { awaits: customerFact(input.customerId) },
  );
  await seam('signup:event-recorded');
  try {
    await models.Customer.create(customerDocument(input.customerId, evidence, input.email, signupAt));
  } catch (error) {
    if (isDuplicateKey(error)) return { attributed: false, reason: 'already_bound' };
    throw error;
  }
  await seam('signup:bound');
  await recordSignupFact(context, input.customerId, signupAt, evidence);
  // Only the binding insert's winner gets here, so the mail is queued once per customer.
  await notifyPartner(context, evidence.partnerId, 'newSignup', {
    key: input.customerId,
    subject: 'A new customer signed up through you',
    lines: [
      `a customer signed up at Ashop through you on ${signupAt.toISOString().slice(0, 10)}.`,
      `Customer ID: ${input.customerId}`,
      `How: ${evidence.couponCode ? `coupon ${evidence.couponCode}` : `your link${evidence.bid ? ` (banner ${evidence.bid})` : ''}`}`,
      'You earn commission on their invoices; your portal lists them under Customers.',
    ],
  });
  return { attributed: true, partnerId: evidence.partnerId, method: evidence.method };
}

/** A customer's binding to the partner the evidence names, for life. */
export function customerDocument(
  customerId: string,
  evidence: Extract<Evidence, { attributed: true }>,
  email: string | undefined,
  boundAt: Date,
) {
  return {
    _id: customerId,
    partnerId: evidence.partnerId,
    clickId: evidence.clickId,
    bid: evidence.bid,
    method: evidence.method,
    couponCode: evidence.couponCode,
    email,
    boundAt,
  };
}

/**
 * The referral's own click and the visitor's history (by exact keys), each judged by attribute();
 * the configured model picks among those that attribute.
 */
async function judgeLink(
  context: Context,
  referral: Referral,
  signupAt: Date,
  email: string | undefined,
): Promise<Evidence> {
  const { models, config } = context;
  const [own, history] = await Promise.all([
    models.Click.findById(referral.cid, { partnerId: 1, counted: 1, occurredAt: 1, bid: 1, redirect: 1 }).lean(),
    referral.vid ? readVisitorHistory(models, referral.vid) : [],
  ]);
  const partnerIds = new Set([referral.aid, ...history.map((click) => click.partnerId)]);
  const partners = new Map(
    await Promise.all(
      [...partnerIds].map(
        async (id) => [id, (await models.Partner.findById(id, { status: 1, email: 1 }).lean()) ?? undefined] as const,
      ),
    ),
  );
  const judge = (ref: Referral, click: { partnerId: string; counted: boolean; occurredAt: Date } | undefined) =>
    attribute({
      referral: ref,
      click,
      partner: partners.get(ref.aid),
      signupAt,
      signupEmail: email,
      windowDays: config.cookieDays,
    });
  const ownDecision = judge(referral, own ?? undefined);
  const clicks: JudgedClick[] = own
    ? [
        {
          cid: own._id,
          partnerId: own.partnerId,
          bid: own.bid ?? undefined,
          redirect: own.redirect ?? undefined,
          occurredAt: own.occurredAt,
          decision: ownDecision,
        },
      ]
    : [];
  for (const click of history) {
    if (click.cid === referral.cid) continue;
    clicks.push({
      ...click,
      decision: judge({ ...referral, aid: click.partnerId, cid: click.cid }, { ...click, counted: true }),
    });
  }
  return linkEvidence(referral, clicks, ownDecision, config.attributionModel);
}

/** A coupon code: the code by its key, its partner by key; a partner using their own code is a self-referral. */
async function judgeCouponCode(
  context: Context,
  code: string,
  signupAt: Date,
  email: string | undefined,
): Promise<Evidence> {
  const { models } = context;
  const key = couponKey(code);
  const coupon = key ? await models.Coupon.findById(key).lean() : null;
  const partner = coupon ? await models.Partner.findById(coupon.partnerId, { status: 1, email: 1 }).lean() : null;
  const check = checkCoupon(coupon ?? undefined, partner ?? undefined, signupAt);
  if (!check.valid) return { attributed: false, reason: check.reason };
  if (email && partner && sameEmail(email, partner.email)) return { attributed: false, reason: 'self_referral' };
  return { attributed: true, partnerId: check.partnerId, method: 'coupon', source: 'coupon', couponCode: key };
}
