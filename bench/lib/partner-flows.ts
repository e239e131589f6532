// Whole partner flows spread over several collectors at once: a click on one, the signup that
// names it on another, the invoice on a third, sent twice at once to two collectors, and for
// some a full refund, also sent twice. Used by the three-process test and `npm run bench`.
// Afterwards the ledger must be exact: one commission per acknowledged invoice with the right
// amount, one reversal per acknowledged refund taking it all back, one binding per signup.
import { randomInt, randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';

export interface FlowTarget {
  request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
  ): Promise<{ status: number; body: unknown }>;
}

export interface FlowOptions {
  targets: readonly FlowTarget[];
  serverKey: string;
  /** Active partners that already exist. */
  partners: readonly string[];
  flows: number;
  concurrency: number;
  /** Share of flows whose invoice is then refunded in full. */
  refundShare?: number;
}

export interface FlowResult {
  durationMs: number;
  requests: number;
  /** Answers by status (anything but 200/201/202 is a failure). */
  statuses: Record<string, number>;
  clicks: string[];
  /** customerId → partnerId, for signups answered 201 (attributed). */
  signups: Map<string, string>;
  /** eventId → expected commission, for invoices answered 201 or 200. */
  invoices: Map<string, number>;
  /** refund eventId → [invoice eventId, expected reversal (negative)], for refunds answered 201 or 200. */
  refunds: Map<string, [string, number]>;
  /** Answers that disagree with the expected amount. */
  wrongAnswers: string[];
}

/** 25% (the default ASHOP_COMMISSION_RATE) of the plan line, rounded half up. */
export const commissionOf = (amount: number): number => Math.floor((amount * 25 + 50) / 100);

export async function runPartnerFlows(options: FlowOptions): Promise<FlowResult> {
  const { targets, partners } = options;
  const headers = { Authorization: `Bearer ${options.serverKey}` };
  const result: FlowResult = {
    durationMs: 0,
    requests: 0,
    statuses: {},
    clicks: [],
    signups: new Map(),
    invoices: new Map(),
    refunds: new Map(),
    wrongAnswers: [],
  };
  const pick = () => targets[randomInt(targets.length)]!;
  const send = async (target: FlowTarget, path: string, body: object) => {
    result.requests += 1;
    const answer = await target.request('POST', path, { headers, body, timeoutMs: 60_000 });
    result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    return answer;
  };
  /** The same body to two different collectors at the same moment; both answers must agree. */
  const twice = async (path: string, body: object) => {
    const first = randomInt(targets.length);
    const second = (first + 1 + randomInt(Math.max(1, targets.length - 1))) % targets.length;
    return Promise.all([send(targets[first]!, path, body), send(targets[second]!, path, body)]);
  };

  const flow = async (index: number) => {
    const partnerId = partners[index % partners.length]!;
    const cid = randomUUID();
    const vid = randomUUID();
    const click = await send(pick(), '/v1/clicks', {
      aid: partnerId,
      cid,
      vid,
      url: 'https://ashop.example/pricing',
      // A browser's: clicks without one count as a bot's and attribute nothing.
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    });
    if (click.status !== 202) return;
    result.clicks.push(cid);

    const customerId = `flow-${randomUUID()}`;
    const signup = await send(pick(), '/v1/signups', { customerId, referral: { v: 1, aid: partnerId, cid, vid } });
    if (signup.status !== 201) {
      result.wrongAnswers.push(`signup ${customerId}: ${signup.status} ${JSON.stringify(signup.body)}`);
      return;
    }
    result.signups.set(customerId, partnerId);

    const eventId = `flow-inv-${randomUUID()}`;
    const amount = randomInt(100, 100_000);
    const expected = commissionOf(amount);
    const invoice = {
      eventId,
      customerId,
      occurredAt: new Date().toISOString(),
      currency: 'USD',
      lines: [
        { kind: 'plan', amount },
        { kind: 'design', amount: randomInt(1, 5000) },
      ],
    };
    const answers = await twice('/v1/revenue', invoice);
    const acknowledged = answers.filter((answer) => answer.status === 201 || answer.status === 200);
    if (acknowledged.length === 0) return;
    result.invoices.set(eventId, expected);
    for (const answer of acknowledged)
      if ((answer.body as { commission?: unknown }).commission !== expected)
        result.wrongAnswers.push(`${eventId}: commission ${JSON.stringify(answer.body)} ≠ ${expected}`);

    if (Math.random() >= (options.refundShare ?? 0.3)) return;
    const refundId = `flow-re-${randomUUID()}`;
    const refunds = await twice('/v1/refunds', { eventId: refundId, refundOf: eventId, kind: 'refund' });
    const refunded = refunds.filter((answer) => answer.status === 201 || answer.status === 200);
    if (refunded.length === 0) return;
    result.refunds.set(refundId, [eventId, -expected]);
    for (const answer of refunded)
      if ((answer.body as { commissionReversed?: unknown }).commissionReversed !== expected)
        result.wrongAnswers.push(`${refundId}: reversed ${JSON.stringify(answer.body)} ≠ ${expected}`);
  };

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.flows) await flow(next++);
    }),
  );
  result.durationMs = performance.now() - started;
  return result;
}

/** What the database holds against what was acknowledged; every list empty means exact. */
export async function ledgerDiscrepancies(db: mongo.Db, result: FlowResult): Promise<string[]> {
  const problems: string[] = [];
  // Ledger entries are keyed `commission:<invoice>` and `reversal:<refund>`: one per fact by construction.
  const entries = await db
    .collection<{ _id: string; kind: string; amount: number }>('ledger')
    .find({}, { projection: { kind: 1, amount: 1 } })
    .toArray();
  const amountOf = new Map(entries.map((entry) => [entry._id, entry.amount]));
  for (const [eventId, expected] of result.invoices) {
    const got = amountOf.get(`commission:${eventId}`);
    if (got !== expected) problems.push(`commission ${eventId}: ${got} ≠ ${expected}`);
  }
  for (const [refundId, [, expected]] of result.refunds) {
    const got = amountOf.get(`reversal:${refundId}`);
    if (got !== expected) problems.push(`reversal ${refundId}: ${got} ≠ ${expected}`);
  }
  const reversals = entries.filter((entry) => entry.kind === 'reversal').length;
  if (reversals !== result.refunds.size)
    problems.push(`${reversals} reversal entries for ${result.refunds.size} acknowledged refunds`);
  const commissions = entries.filter((entry) => entry.kind === 'commission').length;
  if (commissions !== result.invoices.size)
    problems.push(`${commissions} commission entries for ${result.invoices.size} acknowledged invoices`);

  const customers = await db
    .collection<{ _id: string; partnerId: string }>('customers')
    .find({ _id: { $in: [...result.signups.keys()] } })
    .toArray();
  if (customers.length !== result.signups.size)
    problems.push(`${customers.length} customers stored for ${result.signups.size} attributed signups`);
  for (const customer of customers)
    if (result.signups.get(customer._id) !== customer.partnerId)
      problems.push(`customer ${customer._id} bound to ${customer.partnerId}`);

  const clicks = await db.collection<{ _id: string }>('clicks').countDocuments({ _id: { $in: result.clicks } });
  if (clicks !== result.clicks.length) problems.push(`${clicks} clicks stored of ${result.clicks.length} acknowledged`);
  return problems;
}
