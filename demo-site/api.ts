// The site's own small backend (it stands for Ashop Commerce's app): store signup, which returns
// the signup signature for `ashop('signup')`, and the operator's monthly billing run.
import { Router, json, type Request } from 'express';
import { z } from 'zod';
import type { Config } from '../collector/config';
import { HttpProblem } from '../collector/http/problem';
import { billingMonth, invoiceTotal, monthlyInvoice } from './billing';
import { apps, plans } from './catalog';
import { signupSignature } from '../collector/domain/signup-signature';
import { newCustomerId, type StoreModel } from './store';

export interface ApiOptions {
  Store: StoreModel;
  config: Config;
  collectorUrl: string;
  /** A `track` API key: the billing run posts revenue server to server. */
  serverKey: string;
}

const planIds = plans.map((plan) => plan.id) as [string, ...string[]];
const appIds = apps.map((app) => app.id) as [string, ...string[]];

const storeSignup = z.strictObject({
  storeName: z.string().trim().min(1, 'is required').max(80),
  email: z
    .email('must be an email address')
    .max(254)
    .transform((email) => email.toLowerCase()),
  plan: z.enum(planIds),
  apps: z
    .array(z.enum(appIds))
    .max(appIds.length)
    .default([])
    .transform((ids) => [...new Set(ids)]),
  design: z.boolean().default(false),
});

export interface BilledInvoice {
  customerId: string;
  storeName: string;
  eventId: string;
  total: number;
  status: number;
  /** The collector's answer (`{eventId, commission}`) or its problem. */
  answer: unknown;
}

export function siteApi(options: ApiOptions): Router {
  const router = Router();
  router.use(json({ limit: '16kb' }));

  router.post('/stores', async (req, res) => {
    const input = storeSignup.parse(req.body);
    const customerId = newCustomerId();
    try {
      await options.Store.create({ _id: customerId, ...input, invoices: [], createdAt: new Date() });
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) {
        throw new HttpProblem(409, 'A store with this email already exists.', { slug: 'store-exists' });
      }
      throw error;
    }
    res.status(201).json({
      customerId,
      email: input.email,
      signature: signupSignature(options.config.signupSecret, customerId, input.email),
    });
  });

  router.post('/billing', async (req, res) => {
    await requireOperator(options.collectorUrl, req);
    const now = new Date();
    const month = billingMonth(now);
    const stores = await options.Store.find().sort({ createdAt: 1 }).lean();
    const invoices: BilledInvoice[] = [];
    for (const store of stores) {
      const invoice = monthlyInvoice(store, now, options.config.currency);
      // The issue time is kept before sending, so a retry after any failure sends the same event.
      await options.Store.updateOne(
        { _id: store._id, 'invoices.month': { $ne: month } },
        { $push: { invoices: { month, issuedAt: new Date(invoice.occurredAt) } } },
      );
      const response = await callCollector(`${options.collectorUrl}/v1/revenue`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.serverKey}` },
        body: JSON.stringify(invoice),
      });
      const answer: unknown = await response.json().catch(() => null);
      invoices.push({
        customerId: store._id,
        storeName: store.storeName,
        eventId: invoice.eventId,
        total: invoiceTotal(invoice),
        status: response.status,
        answer,
      });
    }
    res.json({ month, invoices });
  });

  return router;
}

/** A server-to-server call; the collector being down is a 502 for the caller, not our 500. */
async function callCollector(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new HttpProblem(502, 'The partner service is not reachable right now.', { slug: 'collector-unreachable' });
  }
}

/**
 * Billing is the operator's: the console's credentials (admin JWT or admin key) must be accepted
 * by the collector's admin API, which stays the one place that decides who is an operator.
 */
async function requireOperator(collectorUrl: string, req: Request): Promise<void> {
  const authorization = req.headers.authorization;
  if (!authorization) throw new HttpProblem(401, 'Log in to the operator console first.', { slug: 'unauthorized' });
  const check = await callCollector(`${collectorUrl}/v1/admin/partners?limit=1`, {
    headers: { Authorization: authorization },
  });
  if (check.status === 401 || check.status === 403) {
    throw new HttpProblem(check.status, 'Operator credentials are required to bill stores.', {
      slug: check.status === 401 ? 'unauthorized' : 'forbidden',
    });
  }
  if (!check.ok)
    throw new HttpProblem(502, 'The partner service could not check the operator login.', {
      slug: 'collector-unreachable',
    });
}
