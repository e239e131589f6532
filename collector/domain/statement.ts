// The money read models partners and operators read (README "Read models", docs/ARCHITECTURE.md §4).
// Pure functions: where a ledger fact lands, how a line and the totals change, and what a reader
// derives at read time (statuses, balance, release calendar, churn).
//
// - Statement lines: per partner and month of the line's `occurredAt` (UTC), a head document
//   `<partnerId>|YYYY-MM` holding that month's lines newest first, or, once they are more than a
//   chunk, a tree of chunk documents of a bounded size under it (domain/month-chunks.ts). A line is a
//   commission, clawback or adjustment; the reversals of a commission are folded into its line, each with its
//   own payout claim (a payout claims reversals like any entry). Every change to a line is a SET
//   (the entry's fields, a reversal by its id, a claim by its entry id), so folding the same fact
//   twice, or in another order, leaves the same line.
// - Totals: one document per partner, `_id` = `<partnerId>`: paid, reversed, and the unclaimed
//   amounts by the UTC day they become available (`days`; days before `fromDay` are summed in
//   `released`), plus the months that hold lines and customers. The exact millisecond of each
//   release is in one document per partner and day (`<partnerId>|YYYY-MM-DD`), read only for the
//   day of `asOf`. Totals change by the difference between a line before and after a fold.
// - Book of business: per partner and month of the customer's signup, a head document
//   `<partnerId>|YYYY-MM` holding those customers newest first, chunked like the statement lines.
//
// Statuses are never stored: pending/payable come from `availableAt` against the reader's clock,
// paid from the folded payout claim, reversed from the folded reversals.
import { DAY_MS, utcDay } from './days';
import { commissionStatus, entryStatus, type EntryStatus } from './ledger';
import {
  foldTree,
  leafItems,
  monthLimits,
  overLimits,
  readPaths,
  type ChunkRef,
  type MonthNode,
  type MonthRules,
  type Refolded,
  type TreeLimits,
} from './month-chunks';

export const monthOfDate = (date: Date) => date.toISOString().slice(0, 7);
export const statementId = (partnerId: string, month: string) => `${partnerId}|${month}`;
export const bookId = (partnerId: string, month: string) => `${partnerId}|${month}`;
export const releaseDayId = (partnerId: string, day: string) => `${partnerId}|${day}`;

export type LineKind = 'commission' | 'clawback' | 'adjustment';

export interface Binding {
  clickedAt: Date | null;
  bid: string | null;
  signedUpAt: Date | null;
  method: string | null;
  coupon: string | null;
}

/** What a line's own entry says (everything but its reversals and claim). */
export interface LineBase {
  entryId: string;
  kind: LineKind;
  memo: string | null;
  customerId: string | null;
  eventId: string;
  occurredAt: Date;
  availableAt: Date;
  base: number | null;
  /** Parts per million (domain/money.ts). */
  ratePpm: number | null;
  amount: number;
  binding: Binding | null;
  /** The month of the customer's signup: where the customer's book entry is. */
  bookMonth: string | null;
}

export interface StoredReversal {
  id: string;
  amount: number;
  availableAt: Date;
  payoutId: string | null;
}

export interface StoredLine extends LineBase {
  payoutId: string | null;
  reversals: StoredReversal[];
}

/** One change to one line; the statement document is the month of `line.occurredAt`. */
export interface LineOp {
  partnerId: string;
  line: LineBase;
  reversal?: Omit<StoredReversal, 'payoutId'> | undefined;
  /** The payout holding `entryId` (the line's entry or one of its reversals), null when none. */
  claim?: { entryId: string; payoutId: string | null } | undefined;
}

/** Lines sort newest first by (occurredAt, entryId); a cursor is the key of the last line shown. */
export const lineKey = (line: Pick<LineBase, 'occurredAt' | 'entryId'>) =>
  `${String(line.occurredAt.getTime()).padStart(15, '0')}|${line.entryId}`;

export const compareNewestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** `line` after `op` (a new object); `undefined` stored line means it did not exist. */
export function applyLineOp(stored: StoredLine | undefined, op: LineOp): StoredLine {
  const line: StoredLine = {
    ...op.line,
    payoutId: stored?.payoutId ?? null,
    reversals: (stored?.reversals ?? []).map((reversal) => ({ ...reversal })),
  };
  if (op.reversal) {
    const known = line.reversals.find((reversal) => reversal.id === op.reversal!.id);
    if (known) Object.assign(known, op.reversal);
    else line.reversals.push({ ...op.reversal, payoutId: null });
    line.reversals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  if (op.claim) {
    if (op.claim.entryId === line.entryId) line.payoutId = op.claim.payoutId;
    const reversal = line.reversals.find((candidate) => candidate.id === op.claim!.entryId);
    if (reversal) reversal.payoutId = op.claim.payoutId;
  }
  return line;
}

/** A month's lines after a set of ops (sorted newest first). */
export function applyToMonth(lines: readonly StoredLine[], ops: readonly LineOp[]): StoredLine[] {
  const byId = new Map(lines.map((line) => [line.entryId, line]));
  for (const op of ops) byId.set(op.line.entryId, applyLineOp(byId.get(op.line.entryId), op));
  return [...byId.values()].sort((a, b) => compareNewestFirst(lineKey(a), lineKey(b)));
}

/** What a line adds to its partner's totals and its customer's lifetime commission. */
export interface Release {
  at: number;
  amount: number;
}

export interface LineEffect {
  paid: number;
  reversed: number;
  /** Unclaimed amounts by the millisecond they become available (objects: FerretDB stores no nested arrays). */
  unclaimed: Release[];
  net: number;
}

export function lineEffect(line: StoredLine | undefined): LineEffect {
  const effect: LineEffect = { paid: 0, reversed: 0, unclaimed: [], net: 0 };
  if (!line) return effect;
  const add = (amount: number, availableAt: Date, payoutId: string | null) => {
    effect.net += amount;
    if (payoutId) effect.paid += amount;
    else effect.unclaimed.push({ at: availableAt.getTime(), amount });
  };
  add(line.amount, line.availableAt, line.payoutId);
  for (const reversal of line.reversals) {
    effect.reversed -= reversal.amount;
    add(reversal.amount, reversal.availableAt, reversal.payoutId);
  }
  return effect;
}

/** The change to the totals when a line goes from `before` to `after`. */
export function effectChange(before: StoredLine | undefined, after: StoredLine | undefined): LineEffect {
  const a = lineEffect(before);
  const b = lineEffect(after);
  const unclaimed = new Map<number, number>();
  for (const { at, amount } of b.unclaimed) unclaimed.set(at, (unclaimed.get(at) ?? 0) + amount);
  for (const { at, amount } of a.unclaimed) unclaimed.set(at, (unclaimed.get(at) ?? 0) - amount);
  return {
    paid: b.paid - a.paid,
    reversed: b.reversed - a.reversed,
    unclaimed: [...unclaimed].filter(([, amount]) => amount !== 0).map(([at, amount]) => ({ at, amount })),
    net: b.net - a.net,
  };
}

/** A partner's money totals as stored. */
export interface MoneyTotals {
  _id: string;
  partnerId: string;
  seq: number;
  paid: number;
  reversed: number;
  /** Unclaimed amounts available on days before `fromDay`. */
  released: number;
  /** The first day kept in `days` (null: none yet). */
  fromDay: string | null;
  /** Unclaimed amounts by the UTC day they become available, from `fromDay` on. */
  days: Record<string, number>;
  /** Months (YYYY-MM) holding statement lines, and customers, oldest first. */
  months: string[];
  bookMonths: string[];
}

export interface TotalsChange {
  paid: number;
  reversed: number;
  unclaimed: Release[];
  months: string[];
  bookMonths: string[];
}

export const emptyTotals = (partnerId: string): MoneyTotals => ({
  _id: partnerId,
  partnerId,
  seq: 0,
  paid: 0,
  reversed: 0,
  released: 0,
  fromDay: null,
  days: {},
  months: [],
  bookMonths: [],
});

/** Days kept by millisecond behind the folder's clock: a reader whose clock is late still reads exact figures. */
export const releasedAfterMs = DAY_MS;

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

/**
 * Totals after a change, folded at `at`: days before `utcDay(at - releasedAfterMs)` are summed into
 * `released`. Returns the per-millisecond changes of the days still kept (for the release-day documents).
 */
export function applyTotals(
  stored: MoneyTotals | null,
  partnerId: string,
  change: TotalsChange,
  at: Date,
  seq: number,
): { totals: MoneyTotals; releaseDays: Map<string, Record<string, number>> } {
  const totals: MoneyTotals = structuredClone(stored) ?? emptyTotals(partnerId);
  totals.seq = seq;
  totals.paid += change.paid;
  totals.reversed += change.reversed;
  totals.months = union(totals.months, change.months);
  totals.bookMonths = union(totals.bookMonths, change.bookMonths);
  const fromDay = utcDay(new Date(at.getTime() - releasedAfterMs));
  if (totals.fromDay === null || fromDay > totals.fromDay) totals.fromDay = fromDay;
  const releaseDays = new Map<string, Record<string, number>>();
  for (const { at: ms, amount } of change.unclaimed) {
    const day = utcDay(new Date(ms));
    if (day < totals.fromDay) {
      totals.released += amount;
      continue;
    }
    totals.days[day] = (totals.days[day] ?? 0) + amount;
    const changes = releaseDays.get(day) ?? {};
    changes[String(ms)] = (changes[String(ms)] ?? 0) + amount;
    releaseDays.set(day, changes);
  }
  // A day whose sum is 0 is kept until it is released: its releases may still differ by the millisecond.
  for (const [day, amount] of Object.entries(totals.days)) {
    if (day >= totals.fromDay) continue;
    totals.released += amount;
    delete totals.days[day];
  }
  return { totals, releaseDays };
}

/** A release-day document's `at` (milliseconds → amount) after a change; zero entries are dropped. */
export function applyReleaseDay(stored: Record<string, number> | undefined, change: Record<string, number>) {
  const at = { ...stored };
  for (const [ms, amount] of Object.entries(change)) {
    at[ms] = (at[ms] ?? 0) + amount;
    if (at[ms] === 0) delete at[ms];
  }
  return at;
}

/**
 * A release day as stored: its releases packed into one string, `<ms>=<amount>` apart by a space,
 * in time order. One field, as the embedded engine's cost of a read grows with a document's fields:
 * a busy day of 280 releases took 5.5 ms to read as a map, 1.8 ms packed. Days written by an older
 * version hold the map `at` until their next fold (retention deletes past days).
 */
export interface ReleaseDayDoc {
  _id: string;
  partnerId: string;
  day: string;
  seq: number;
  packed?: string | null | undefined;
  at?: Record<string, number> | null | undefined;
}

export const releaseDayDoc = (
  partnerId: string,
  day: string,
  seq: number,
  at: Record<string, number>,
): ReleaseDayDoc => ({
  _id: releaseDayId(partnerId, day),
  partnerId,
  day,
  seq,
  packed: Object.keys(at)
    .sort((a, b) => Number(a) - Number(b))
    .map((ms) => `${ms}=${at[ms]}`)
    .join(' '),
});

/** The releases of a stored day, by millisecond. */
export function releasesOf(doc: Pick<ReleaseDayDoc, 'packed' | 'at'> | null | undefined): Record<string, number> {
  if (typeof doc?.packed !== 'string') return { ...doc?.at };
  const at: Record<string, number> = {};
  for (const entry of doc.packed.split(' ')) {
    if (entry === '') continue;
    const [ms, amount] = entry.split('=') as [string, string];
    at[ms] = Number(amount);
  }
  return at;
}

export interface Balance {
  pending: number;
  payable: number;
  paid: number;
  reversed: number;
  balance: number;
  nextReleaseAt: Date | null;
  /** Pending amounts by the month (YYYY-MM) they become payable, oldest first. */
  releases: Array<{ month: string; amount: number }>;
}

/**
 * The balance at `asOf` from the totals and the release-day document of `asOf`'s day (`at`:
 * milliseconds → amount). Exact for any `asOf` on or after `fromDay`: what a payout run at `asOf`
 * would claim is `payable`. `nextDay` is the release-day document of the first later day (for
 * `nextReleaseAt`), when there is one.
 */
export function balanceAt(
  totals: MoneyTotals | null,
  today: Record<string, number> | undefined,
  asOf: Date,
  nextDay?: Record<string, number>,
): Balance {
  const result: Balance = {
    pending: 0,
    payable: 0,
    paid: 0,
    reversed: 0,
    balance: 0,
    nextReleaseAt: null,
    releases: [],
  };
  if (!totals) return result;
  const day = utcDay(asOf);
  const releases = new Map<string, number>();
  const pend = (month: string, amount: number) => {
    result.pending += amount;
    releases.set(month, (releases.get(month) ?? 0) + amount);
  };
  result.payable = totals.released;
  for (const [when, amount] of Object.entries(totals.days)) {
    if (when < day) result.payable += amount;
    else if (when > day) pend(when.slice(0, 7), amount);
  }
  let next: number | null = null;
  for (const [ms, amount] of Object.entries(today ?? {})) {
    const at = Number(ms);
    if (at <= asOf.getTime()) result.payable += amount;
    else {
      pend(day.slice(0, 7), amount);
      if (amount !== 0 && (next === null || at < next)) next = at;
    }
  }
  if (next === null && nextDay) {
    for (const [ms, amount] of Object.entries(nextDay))
      if (amount !== 0 && (next === null || Number(ms) < next)) next = Number(ms);
  }
  result.nextReleaseAt = next === null ? null : new Date(next);
  result.paid = totals.paid;
  result.reversed = totals.reversed;
  result.balance = result.payable;
  result.releases = [...releases]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, amount]) => ({ month, amount }));
  return result;
}

/** The first day after `asOf`'s with an amount to release (its document holds the exact time). */
export function nextReleaseDay(totals: MoneyTotals | null, asOf: Date): string | null {
  if (!totals) return null;
  const day = utcDay(asOf);
  const later = Object.entries(totals.days)
    .filter(([when, amount]) => when > day && amount !== 0)
    .map(([when]) => when)
    .sort();
  return later[0] ?? null;
}

/** Payable below the program's minimum is not paid: it is carried to the next run. */
export function carriedForward(
  payable: number,
  minimumPayout: number,
): { belowMinimum: boolean; carriedForward: number } {
  const below = payable > 0 && payable < minimumPayout;
  return { belowMinimum: below, carriedForward: below ? payable : 0 };
}

/** A line as partners see it at `now`. */
export type StatementLine = Omit<LineBase, 'ratePpm' | 'bookMonth'> & {
  /** 2500 = 25 % (parts per million / 100). */
  rateBasisPoints: number | null;
  /** The reversals folded in, as a positive amount. */
  refunded: number;
  net: number;
  status: EntryStatus;
  payoutId: string | null;
};

export function statementLine(line: StoredLine, now: Date): StatementLine {
  const refunded = -line.reversals.reduce((sum, reversal) => sum + reversal.amount, 0);
  const net = line.amount - refunded;
  const claimed = line.payoutId !== null;
  const entry = { _id: line.entryId, kind: line.kind, amount: line.amount, availableAt: line.availableAt };
  return {
    entryId: line.entryId,
    kind: line.kind,
    memo: line.memo,
    customerId: line.customerId,
    eventId: line.eventId,
    occurredAt: line.occurredAt,
    availableAt: line.availableAt,
    base: line.base,
    rateBasisPoints: line.ratePpm === null ? null : line.ratePpm / 100,
    amount: line.amount,
    refunded,
    net: line.kind === 'commission' ? net : line.amount,
    status: line.kind === 'commission' ? commissionStatus(entry, net, claimed, now) : entryStatus(entry, claimed, now),
    payoutId: line.payoutId,
    binding: line.binding,
  };
}

/** A customer of a partner's book as stored. */
export interface BookCustomer {
  customerId: string;
  signedUpAt: Date | null;
  method: string | null;
  bid: string | null;
  coupon: string | null;
  firstInvoiceAt: Date | null;
  latestInvoiceAt: Date | null;
  /** The latest month (YYYY-MM) with an invoice, and that month's commissionable revenue. */
  revenueMonth: string | null;
  monthRevenue: number;
  lifetimeRevenue: number;
  lifetimeCommission: number;
}

/** One change to one customer of a book month. `invoice` and `commission` add; `signup` sets. */
export interface BookOp {
  partnerId: string;
  month: string;
  customerId: string;
  signup?: { signedUpAt: Date; method: string | null; bid: string | null; coupon: string | null } | undefined;
  invoice?: { occurredAt: Date; commissionable: number } | undefined;
  commission?: number | undefined;
  /** The customer's signup (with `commission`): which finds the customer's leaf in a book month's chunk tree. */
  signedUpAt?: Date | null | undefined;
}

const emptyCustomer = (customerId: string): BookCustomer => ({
  customerId,
  signedUpAt: null,
  method: null,
  bid: null,
  coupon: null,
  firstInvoiceAt: null,
  latestInvoiceAt: null,
  revenueMonth: null,
  monthRevenue: 0,
  lifetimeRevenue: 0,
  lifetimeCommission: 0,
});

export const customerKey = (customer: Pick<BookCustomer, 'signedUpAt' | 'customerId'>) =>
  `${String(customer.signedUpAt?.getTime() ?? 0).padStart(15, '0')}|${customer.customerId}`;

export function applyBookOps(customers: readonly BookCustomer[], ops: readonly BookOp[]): BookCustomer[] {
  const byId = new Map(customers.map((customer) => [customer.customerId, { ...customer }]));
  for (const op of ops) {
    const customer = byId.get(op.customerId) ?? emptyCustomer(op.customerId);
    if (op.signup) Object.assign(customer, op.signup);
    if (op.invoice) {
      const { occurredAt, commissionable } = op.invoice;
      if (!customer.firstInvoiceAt || occurredAt < customer.firstInvoiceAt) customer.firstInvoiceAt = occurredAt;
      if (!customer.latestInvoiceAt || occurredAt > customer.latestInvoiceAt) customer.latestInvoiceAt = occurredAt;
      customer.lifetimeRevenue += commissionable;
      const month = monthOfDate(occurredAt);
      if (customer.revenueMonth === null || month > customer.revenueMonth) {
        customer.revenueMonth = month;
        customer.monthRevenue = commissionable;
      } else if (month === customer.revenueMonth) customer.monthRevenue += commissionable;
    }
    if (op.commission) customer.lifetimeCommission += op.commission;
    byId.set(op.customerId, customer);
  }
  return [...byId.values()].sort((a, b) => compareNewestFirst(customerKey(a), customerKey(b)));
}

/** A customer is churned once neither an invoice nor the signup is newer than this. */
export const churnAfterDays = 45;

export function customerStatus(
  customer: Pick<BookCustomer, 'latestInvoiceAt' | 'signedUpAt'>,
  now: Date,
): 'active' | 'churned' {
  const last = customer.latestInvoiceAt ?? customer.signedUpAt;
  if (!last) return 'active';
  return now.getTime() - last.getTime() > churnAfterDays * DAY_MS ? 'churned' : 'active';
}

/** This UTC month's commissionable revenue of a customer, read at `now`. */
export const revenueThisMonth = (customer: Pick<BookCustomer, 'revenueMonth' | 'monthRevenue'>, now: Date) =>
  customer.revenueMonth === monthOfDate(now) ? customer.monthRevenue : 0;

export interface MoneyBatch {
  statements: Array<{ id: string; partnerId: string; month: string; ops: LineOp[] }>;
  totals: Array<{ partnerId: string; change: TotalsChange }>;
  books: Array<{ id: string; partnerId: string; month: string; ops: BookOp[] }>;
}

export interface MoneyOps {
  lines: LineOp[];
  books: BookOp[];
}

export interface EntryDoc {
  _id: string;
  partnerId: string;
  kind: 'commission' | 'reversal' | 'clawback' | 'adjustment';
  amount: number;
  customerId?: string | null;
  eventId: string;
  memo?: string | null;
  reverses?: string | null;
  base?: number | null;
  ratePpm?: number | null;
  occurredAt: Date;
  availableAt: Date;
}

export interface CustomerFacts {
  boundAt: Date;
  clickedAt?: Date | null | undefined;
  bid?: string | null | undefined;
  method?: string | null | undefined;
  couponCode?: string | null | undefined;
}

/** A line's own fields from its entry, the invoice it was earned on and the customer's binding (pure). */
export function lineBaseOf(
  entry: EntryDoc,
  invoice: { commissionable?: number | null; ratePpm?: number | null } | null,
  customer: CustomerFacts | null,
): LineBase {
  const binding: Binding | null = customer
    ? {
        clickedAt: customer.clickedAt ?? null,
        bid: customer.bid ?? null,
        signedUpAt: customer.boundAt,
        method: customer.method ?? null,
        coupon: customer.couponCode ?? null,
      }
    : null;
  const commission = entry.kind === 'commission';
  return {
    entryId: entry._id,
    kind: entry.kind as LineKind,
    memo: entry.memo ?? null,
    customerId: entry.customerId ?? null,
    eventId: entry.eventId,
    occurredAt: entry.occurredAt,
    availableAt: entry.availableAt,
    base: commission ? (entry.base ?? invoice?.commissionable ?? null) : null,
    ratePpm: commission ? (entry.ratePpm ?? invoice?.ratePpm ?? null) : null,
    amount: entry.amount,
    binding,
    bookMonth: customer ? monthOfDate(customer.boundAt) : null,
  };
}

/** The book op of a bound customer's signup. */
export function signupBookOp(customer: CustomerFacts & { _id: string; partnerId: string }): BookOp {
  return {
    partnerId: customer.partnerId,
    month: monthOfDate(customer.boundAt),
    customerId: customer._id,
    signup: {
      signedUpAt: customer.boundAt,
      method: customer.method ?? null,
      bid: customer.bid ?? null,
      coupon: customer.couponCode ?? null,
    },
  };
}

/** The book op of an invoice of a bound customer (with the customer's signup, so the book never lacks it). */
export function invoiceBookOp(
  invoice: { partnerId: string; customerId: string; occurredAt: Date; commissionable: number },
  customer: CustomerFacts & { _id: string; partnerId: string },
): BookOp {
  return {
    ...signupBookOp(customer),
    invoice: { occurredAt: invoice.occurredAt, commissionable: invoice.commissionable },
  };
}

/** Line ops by the statement month they land in (the month of the line's `occurredAt`). */
export function groupByStatement(ops: readonly LineOp[]): Map<string, MoneyBatch['statements'][number]> {
  const statements = new Map<string, MoneyBatch['statements'][number]>();
  for (const op of ops) {
    const month = monthOfDate(op.line.occurredAt);
    const id = statementId(op.partnerId, month);
    const group = statements.get(id) ?? { id, partnerId: op.partnerId, month, ops: [] };
    group.ops.push(op);
    statements.set(id, group);
  }
  return statements;
}

const emptyChange = (): TotalsChange => ({ paid: 0, reversed: 0, unclaimed: [], months: [], bookMonths: [] });

/**
 * Plans a fold batch from the statement months its ops touch (as the last batch left them): derives the totals' change and each customer's commission change from the lines before and after.
 */
export function planMoneyBatch(
  ops: MoneyOps,
  /** The month's lines the ops touch as stored (at least those; null when the month has no document). */
  storedMonth: (id: string) => { lines?: StoredLine[] | null | undefined } | null,
): MoneyBatch {
  const statements = groupByStatement(ops.lines);
  const totals = new Map<string, TotalsChange>();
  const changeOf = (partnerId: string) => {
    let change = totals.get(partnerId);
    if (!change) totals.set(partnerId, (change = emptyChange()));
    return change;
  };
  const bookOps: BookOp[] = [...ops.books];
  for (const group of statements.values()) {
    const stored = storedMonth(group.id);
    const before = new Map((stored?.lines ?? []).map((line) => [line.entryId, line]));
    const after = applyToMonth(stored?.lines ?? [], group.ops);
    const change = changeOf(group.partnerId);
    if (!stored) change.months.push(group.month);
    const touched = new Set(group.ops.map((op) => op.line.entryId));
    for (const line of after) {
      if (!touched.has(line.entryId)) continue;
      const effect = effectChange(before.get(line.entryId), line);
      change.paid += effect.paid;
      change.reversed += effect.reversed;
      change.unclaimed.push(...effect.unclaimed);
      if (effect.net !== 0 && line.customerId && line.bookMonth) {
        bookOps.push({
          partnerId: group.partnerId,
          month: line.bookMonth,
          customerId: line.customerId,
          signedUpAt: line.binding?.signedUpAt ?? null,
          commission: effect.net,
        });
      }
    }
  }
  const books = new Map<string, MoneyBatch['books'][number]>();
  for (const op of bookOps) {
    const id = bookId(op.partnerId, op.month);
    const group = books.get(id) ?? { id, partnerId: op.partnerId, month: op.month, ops: [] };
    group.ops.push(op);
    books.set(id, group);
    changeOf(op.partnerId).bookMonths.push(op.month);
  }
  for (const change of totals.values()) {
    change.months = [...new Set(change.months)];
    change.bookMonths = [...new Set(change.bookMonths)];
  }
  return {
    statements: [...statements.values()],
    totals: [...totals].map(([partnerId, change]) => ({ partnerId, change })),
    books: [...books.values()],
  };
}

/** Where a statement op lands, how lines change and sort. */
export const statementRules: MonthRules<StoredLine, LineOp> = {
  opKey: (op) => lineKey(op.line),
  itemKey: lineKey,
  apply: applyToMonth,
};

/** Where a book op lands (its customer's signup), how customers change and sort. */
export const bookRules: MonthRules<BookCustomer, BookOp> = {
  opKey: (op) => customerKey({ customerId: op.customerId, signedUpAt: op.signup?.signedUpAt ?? op.signedUpAt ?? null }),
  itemKey: customerKey,
  apply: applyBookOps,
};

/** A month head or chunk of either kind as stored: items under `lines` (statements) or `customers` (books). */
export interface MonthDoc {
  _id: string;
  partnerId: string;
  month: string;
  seq?: number;
  lines?: StoredLine[] | null | undefined;
  customers?: BookCustomer[] | null | undefined;
  /** The chunks a head or inner chunk names, newest first. */
  chunks?: ChunkRef[] | null | undefined;
  /** Chunks this head's fold replaced, deleted once it is written (again by a rerun of its batch). */
  retired?: string[] | null | undefined;
}

export type ItemField = 'lines' | 'customers';

/** A stored month document as the chunk tree sees it. */
export const monthNode = <T>(field: ItemField, doc: MonthDoc): MonthNode<T> => ({
  refs: doc.chunks ?? null,
  items: (doc[field] ?? []) as T[],
});

/** The documents a fold (or a reshape) of one month writes: chunks first, then the head, then deletes `retired`. */
export interface MonthWrite {
  head: MonthDoc;
  write: MonthDoc[];
  retired: string[];
}

function monthWrite<T>(
  field: ItemField,
  group: { id: string; partnerId: string; month: string },
  seq: number,
  next: Refolded<T>,
): MonthWrite {
  const { id, partnerId, month } = group;
  const content = (refs: ChunkRef[] | null, items: T[] | null) => (refs ? { chunks: refs } : { [field]: items });
  return {
    head: {
      _id: id,
      partnerId,
      month,
      seq,
      ...content(next.refs, next.inline),
      ...(next.refs ? { retired: next.retired } : {}),
    },
    write: next.write.map((chunk) => ({ _id: chunk.id, partnerId, month, ...content(chunk.refs, chunk.items) })),
    retired: next.retired,
  };
}

/** A month after a group of ops; `nodes` holds what `readPaths` read for the ops' keys. */
export function foldMonthDocs<T, Op>(
  field: ItemField,
  group: { id: string; partnerId: string; month: string; ops: readonly Op[] },
  nodes: ReadonlyMap<string, MonthNode<T>>,
  rules: MonthRules<T, Op>,
  seq: number,
  limits: TreeLimits = monthLimits,
): MonthWrite {
  return monthWrite(field, group, seq, foldTree(group.id, nodes, group.ops, rules, String(seq), limits));
}

/**
 * A month head an older version left over the limits (its items whole, or naming more chunks than
 * a head may), reshaped as a fold would have: its chunks stay, new ones are named `m<seq>` so they
 * cannot meet a fold's. Null when it is within the limits.
 */
export function reshapeMonthDoc<T, Op>(
  field: ItemField,
  head: MonthDoc,
  rules: MonthRules<T, Op>,
  limits: TreeLimits = monthLimits,
): MonthWrite | null {
  const node = monthNode<T>(field, head);
  if (!overLimits(node, limits)) return null;
  const seq = head.seq ?? 0;
  const next = foldTree(head._id, new Map([[head._id, node]]), [], rules, `m${seq}`, limits);
  return monthWrite(field, { id: head._id, partnerId: head.partnerId, month: head.month }, seq, next);
}

/** The money read models held in memory (a loader building them in bulk, as the folder would). */
export interface MoneyDocs {
  /** Heads and chunks by `_id`. */
  statements: Map<string, MonthDoc>;
  totals: Map<string, MoneyTotals>;
  releaseDays: Map<string, ReleaseDayDoc>;
  books: Map<string, MonthDoc>;
}

export const emptyMoneyDocs = (): MoneyDocs => ({
  statements: new Map(),
  totals: new Map(),
  releaseDays: new Map(),
  books: new Map(),
});

function applyMonthWrite(docs: Map<string, MonthDoc>, write: MonthWrite): void {
  for (const chunk of write.write) docs.set(chunk._id, chunk);
  docs.set(write.head._id, write.head);
  for (const id of write.retired) docs.delete(id);
}

/** The documents of one month in memory a fold of `keys` reads. */
function pathsInMemory<T>(docs: Map<string, MonthDoc>, field: ItemField, id: string, keys: readonly string[]) {
  const head = docs.get(id);
  return readPaths<T>(id, head ? monthNode(field, head) : null, keys, (chunkId) =>
    monthNode(field, docs.get(chunkId)!),
  );
}

/** One fold batch applied to documents in memory: what the folder's planned batch writes, document by document. */
export async function foldMoneyInMemory(docs: MoneyDocs, ops: MoneyOps, at: Date, seq: number): Promise<void> {
  const read = new Map<string, Map<string, MonthNode<StoredLine>>>();
  for (const group of groupByStatement(ops.lines).values()) {
    read.set(group.id, await pathsInMemory(docs.statements, 'lines', group.id, group.ops.map(statementRules.opKey)));
  }
  const batch = planMoneyBatch(ops, (id) => (docs.statements.has(id) ? { lines: leafItems(read.get(id)!) } : null));
  for (const group of batch.statements) {
    applyMonthWrite(docs.statements, foldMonthDocs('lines', group, read.get(group.id)!, statementRules, seq));
  }
  for (const { partnerId, change } of batch.totals) {
    const { totals, releaseDays } = applyTotals(docs.totals.get(partnerId) ?? null, partnerId, change, at, seq);
    docs.totals.set(partnerId, totals);
    for (const [day, changes] of releaseDays) {
      const id = releaseDayId(partnerId, day);
      const at_ = applyReleaseDay(releasesOf(docs.releaseDays.get(id)), changes);
      docs.releaseDays.set(id, releaseDayDoc(partnerId, day, seq, at_));
    }
  }
  for (const group of batch.books) {
    const nodes = await pathsInMemory<BookCustomer>(docs.books, 'customers', group.id, group.ops.map(bookRules.opKey));
    applyMonthWrite(docs.books, foldMonthDocs('customers', group, nodes, bookRules, seq));
  }
}
