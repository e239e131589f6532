// Coupon codes (README "Coupon codes"): created by operators, or requested by partners and approved
// or rejected by an operator; checked by the merchant's checkout and by signups. Each change is audited.
import { checkCoupon, couponKey, type CouponCheck, type CouponStatus } from '../domain/coupon';
import { decodeCursor } from '../domain/cursor';
import { utcDay } from '../domain/days';
import { bucketId, dimensionKey, monthsOf, type BucketIncrements } from '../domain/stat-layout';
import { keyFilter } from '../db/key-filter';
import { DomainError } from '../domain/errors';
import type { CouponDoc } from '../models/coupon';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { isDuplicateKey } from './duplicates';
import { definedOnly, page, type Page, type PageRequest } from './records';

type Deps = Pick<ServiceDeps, 'models'>;
type StoredCoupon = CouponDoc & { _id: string };

export interface CouponView {
  code: string;
  partnerId: string;
  status: string;
  endsAt: Date | null;
  discount: string | null;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

export function couponView(coupon: StoredCoupon): CouponView {
  return {
    code: coupon.code,
    partnerId: coupon.partnerId,
    status: coupon.status,
    endsAt: coupon.endsAt ?? null,
    discount: coupon.discount ?? null,
    description: coupon.description ?? null,
    createdBy: coupon.createdBy,
    createdAt: coupon.createdAt,
    decidedBy: coupon.decidedBy ?? null,
    decidedAt: coupon.decidedAt ?? null,
    decisionReason: coupon.decisionReason ?? null,
  };
}

export interface NewCoupon {
  code: string;
  partnerId: string;
  endsAt?: Date | undefined;
  discount?: string | undefined;
  description?: string | undefined;
  actor: string;
  /** `active` when an operator creates it, `pending` when a partner requests it. */
  status: 'active' | 'pending';
}

/** Inserts the code under its lower-cased key: the insert decides, in any case, who has it. */
export async function createCoupon({ models }: Deps, input: NewCoupon): Promise<CouponView> {
  const key = couponKey(input.code);
  if (!key) throw new DomainError('invalid', 'A code is 3-32 characters of A-Z a-z 0-9 _ -.', 'invalid-request');
  if (!(await models.Partner.exists({ _id: input.partnerId })))
    throw new DomainError('not-found', `No partner ${input.partnerId}.`, 'partner-not-found');
  const doc = {
    _id: key,
    code: input.code,
    partnerId: input.partnerId,
    status: input.status,
    ...(input.endsAt ? { endsAt: input.endsAt } : {}),
    ...(input.discount ? { discount: input.discount } : {}),
    ...(input.description ? { description: input.description } : {}),
    createdBy: input.actor,
    createdAt: new Date(),
  };
  try {
    await models.Coupon.create(doc);
  } catch (error) {
    if (isDuplicateKey(error))
      throw new DomainError(
        'conflict',
        `The code ${input.code} is taken (codes are unique in any case).`,
        'coupon-exists',
      );
    throw error;
  }
  await audit(
    { models },
    {
      actor: input.actor,
      action: input.status === 'pending' ? 'coupon.request' : 'coupon.create',
      subject: `partner:${input.partnerId}`,
      details: { code: input.code, endsAt: input.endsAt, discount: input.discount },
    },
  );
  return couponView(doc as StoredCoupon);
}

async function findCoupon({ models }: Deps, code: string): Promise<StoredCoupon> {
  const key = couponKey(code);
  const coupon = key ? await models.Coupon.findById(key).lean() : null;
  if (!coupon) throw new DomainError('not-found', `No coupon code ${code}.`, 'coupon-not-found');
  return coupon as StoredCoupon;
}

type CouponFilter = { partnerId?: string | undefined; status?: CouponStatus | undefined };
type CountedCoupon = CouponView & { signups: number; customers: number };

/**
 * One page of codes in `_id` order (the lower-cased code: stable, a cursor names the last one
 * shown), each with its signups and customers.
 */
export function listCoupons(
  deps: Deps & Pick<ServiceDeps, 'tracking'>,
  filter: CouponFilter,
  request: PageRequest,
): Promise<Page<CountedCoupon>> {
  return page(
    (query, sort, limit) => deps.models.Coupon.find(query).sort(sort).limit(limit).lean(),
    definedOnly(filter),
    request,
    async (docs) => {
      const coupons = docs.map((coupon) => couponView(coupon as StoredCoupon));
      const counts = await couponCounts(deps, coupons);
      return coupons.map((coupon) => ({ ...coupon, ...counts.get(coupon.code)! }));
    },
  );
}

/** Every code of the filter, a page at a time (the CSV export, the CLI): memory holds one page. */
export async function* allCoupons(
  deps: Deps & Pick<ServiceDeps, 'tracking'>,
  filter: CouponFilter,
  pageSize = 200,
): AsyncGenerator<CountedCoupon[]> {
  let cursor: string | undefined;
  do {
    const { items, nextCursor } = await listCoupons(deps, filter, { limit: pageSize, cursor });
    yield items;
    cursor = nextCursor === null ? undefined : decodeCursor(nextCursor);
  } while (cursor !== undefined);
}

/**
 * Signups and customers (first invoices) per code, all time: the `coupon` counters of each code's
 * partner-month buckets from the month the code was created to now, read by `_id`.
 */
export async function couponCounts(
  { models, tracking }: Deps & Pick<ServiceDeps, 'tracking'>,
  coupons: readonly CouponView[],
  now = new Date(),
): Promise<Map<string, { signups: number; customers: number }>> {
  // Counted up to this moment: what this process has queued is folded first.
  await tracking?.flush();
  const counts = new Map(coupons.map((coupon) => [coupon.code, { signups: 0, customers: 0 }]));
  const since = new Map<string, Date>();
  for (const coupon of coupons) {
    const earliest = since.get(coupon.partnerId);
    if (!earliest || coupon.createdAt < earliest) since.set(coupon.partnerId, coupon.createdAt);
  }
  const range = (from: Date) => ({ from: utcDay(from), to: utcDay(now) });
  const buckets = await Promise.all(
    [...since].flatMap(([partnerId, from]) =>
      monthsOf(range(from)).map((month) =>
        models.StatBucket.findOne<{ partnerId: string; dims?: unknown }>(
          keyFilter(models.StatBucket, bucketId(partnerId, `${month}-01`), partnerId),
          { partnerId: 1, 'dims.coupon': 1 },
        ).lean(),
      ),
    ),
  );
  for (const coupon of coupons) {
    const count = counts.get(coupon.code)!;
    const key = dimensionKey(couponKey(coupon.code));
    for (const bucket of buckets) {
      if (bucket?.partnerId !== coupon.partnerId) continue;
      const dims = bucket.dims as BucketIncrements['dims'] | undefined;
      for (const day of Object.values(dims?.coupon?.[key] ?? {})) {
        count.signups += day.signups ?? 0;
        count.customers += day.customers ?? 0;
      }
    }
  }
  return counts;
}

export interface CouponChanges {
  endsAt?: Date | null | undefined;
  discount?: string | null | undefined;
  description?: string | null | undefined;
  status?: 'active' | 'inactive' | undefined;
}

/** Operator edits: end date, discount, description, and (de)activation of a decided code. */
export async function updateCoupon(
  { models }: Deps,
  code: string,
  changes: CouponChanges,
  actor: string,
): Promise<CouponView> {
  const coupon = await findCoupon({ models }, code);
  if (changes.status && (coupon.status === 'pending' || coupon.status === 'rejected'))
    throw new DomainError(
      'conflict',
      `The code ${coupon.code} is ${coupon.status}: approve it first.`,
      'coupon-not-decided',
    );
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  for (const field of ['endsAt', 'discount', 'description', 'status'] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === null) unset[field] = 1;
    else set[field] = value;
  }
  await models.Coupon.updateOne({ _id: coupon._id }, { $set: set, $unset: unset });
  await audit(
    { models },
    {
      actor,
      action: 'coupon.update',
      subject: `partner:${coupon.partnerId}`,
      details: { code: coupon.code, ...changes },
    },
  );
  return couponView((await models.Coupon.findById(coupon._id).lean()) as StoredCoupon);
}

/**
 * Approves or rejects a partner's request. Two operators deciding at once: the first insert of the
 * decision key wins (the request's creation time is in it, so a code requested again after a
 * rejection gets a decision of its own); the loser gets a conflict.
 */
export async function decideCoupon(
  { models }: Deps,
  code: string,
  decision: 'approve' | 'reject',
  actor: string,
  reason?: string,
): Promise<CouponView> {
  const coupon = await findCoupon({ models }, code);
  const conflict = () =>
    new DomainError('conflict', `The code ${coupon.code} is ${coupon.status}, not pending.`, 'coupon-not-pending');
  if (coupon.status !== 'pending') throw conflict();
  try {
    await models.FirstSeen.create({ _id: `coupon-decision:${coupon._id}|${coupon.createdAt.getTime()}` });
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict();
    throw error;
  }
  const decided = {
    status: decision === 'approve' ? 'active' : 'rejected',
    decidedBy: actor,
    decidedAt: new Date(),
    ...(reason ? { decisionReason: reason } : {}),
  };
  await models.Coupon.updateOne({ _id: coupon._id }, { $set: decided });
  await audit(
    { models },
    {
      actor,
      action: `coupon.${decision}`,
      subject: `partner:${coupon.partnerId}`,
      ...(reason ? { reason } : {}),
      details: { code: coupon.code },
    },
  );
  // A rejected code is released, so the partner (or another) may ask for it again.
  if (decision === 'reject') await models.Coupon.deleteOne({ _id: coupon._id });
  return couponView({ ...coupon, ...decided } as StoredCoupon);
}

/** The merchant checkout's question: does this code attribute now, to whom, with which discount? */
export async function checkCouponCode({ models }: Deps, code: string, at: Date): Promise<CouponCheck> {
  const key = couponKey(code);
  const coupon = key ? await models.Coupon.findById(key).lean() : null;
  const partner = coupon ? await models.Partner.findById(coupon.partnerId, { status: 1 }).lean() : null;
  return checkCoupon(coupon ?? undefined, partner ?? undefined, at);
}
