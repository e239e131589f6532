// Ashop Commerce's monthly billing, as the demo's stand-in for a real billing system: one invoice
// per store and month, sent to the collector's `POST /v1/revenue` with a server API key.
import { apps as appCatalog, designService, findApp, findPlan } from './catalog';

export interface InvoiceLine {
  kind: 'plan' | 'app' | 'design';
  amount: number;
}

export interface BillableStore {
  _id: string;
  plan: string;
  apps: string[];
  design: boolean;
  /** Months already billed ("2026-11"); the design service goes on the first one only. */
  billedMonths: string[];
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
 * The store's invoice for the month of `at`. Its event ID names store and month, so billing the
 * same month twice sends the same event and the collector answers it idempotently.
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
  const firstInvoice = store.billedMonths.every((billed) => billed >= month);
  if (store.design && firstInvoice) lines.push({ kind: 'design', amount: designService.price });
  return { eventId: `inv_${store._id}_${month}`, customerId: store._id, occurredAt: at.toISOString(), currency, lines };
}

export function invoiceTotal(invoice: Invoice): number {
  return invoice.lines.reduce((sum, line) => sum + line.amount, 0);
}

export const knownAppIds = appCatalog.map((app) => app.id);
