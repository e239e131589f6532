// Ashop Commerce's monthly billing, as the demo's stand-in for a real billing system: one invoice
// per store and month, sent to the collector's `POST /v1/revenue` with a server API key.
import { designService, findApp, findPlan } from './catalog';

export interface InvoiceLine {
  kind: 'plan' | 'app' | 'design';
  amount: number;
}

export interface IssuedInvoice {
  /** "2026-11" */
  month: string;
  issuedAt: Date;
}

export interface BillableStore {
  _id: string;
  plan: string;
  apps: string[];
  design: boolean;
  /** Invoices issued so far; the design service goes on the first one only. */
  invoices: IssuedInvoice[];
}

export interface Invoice {
  eventId: string;
  customerId: string;
  occurredAt: string;
  currency: string;
  lines: InvoiceLine[];
}

/** "2026-11" for a date, in UTC like every day boundary of the program. */
export function billingMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * The store's invoice for the month of `at`. Its event ID names store and month and a month's
 * invoice keeps the time it was first issued, so billing the same month again sends the very
 * same event, which the collector answers idempotently.
 */
export function monthlyInvoice(store: BillableStore, at: Date, currency: string): Invoice {
  const month = billingMonth(at);
  const plan = findPlan(store.plan);
  if (!plan) throw new Error(`store ${store._id} has an unknown plan ${store.plan}`);
  const lines: InvoiceLine[] = [{ kind: 'plan', amount: plan.monthly }];
  for (const id of store.apps) {
    const app = findApp(id);
    if (app) lines.push({ kind: 'app', amount: app.monthly });
  }
  const firstInvoice = store.invoices.every((invoice) => invoice.month >= month);
  if (store.design && firstInvoice) lines.push({ kind: 'design', amount: designService.price });
  const issuedAt = store.invoices.find((invoice) => invoice.month === month)?.issuedAt ?? at;
  return {
    eventId: `inv_${store._id}_${month}`,
    customerId: store._id,
    occurredAt: issuedAt.toISOString(),
    currency,
    lines,
  };
}

export function invoiceTotal(invoice: Invoice): number {
  return invoice.lines.reduce((sum, line) => sum + line.amount, 0);
}
