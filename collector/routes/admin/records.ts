// Operators: customers and the commission ledger, filtered and paged with cursors.
import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { pageQuery } from '../../domain/cursor';
import { externalIdField, partnerIdField } from '../../domain/validation';
import { ledgerKinds } from '../../models/ledger-entry';
import { getCommission, getCustomer, listCommissions, listCustomers } from '../../services/records';
import { commissionAnswer, customerAnswer, pageOf } from '../../http/answers';
import type { Operation } from '../../http/openapi';

const customerQuery = z.object({ ...pageQuery, partnerId: partnerIdField.optional() }).strict();
const commissionQuery = z
  .object({
    ...pageQuery,
    partnerId: partnerIdField.optional(),
    kind: z.enum(ledgerKinds).optional(),
    customerId: externalIdField.optional(),
    eventId: externalIdField.optional(),
  })
  .strict();

export function adminRecordRoutes(context: Context): Router {
  const router = Router();

  router.get('/v1/admin/customers', async (req, res) => {
    const { limit, cursor, ...filter } = customerQuery.parse(req.query);
    res.json(await listCustomers(context, filter, { limit, cursor }));
  });

  router.get('/v1/admin/customers/:id', async (req, res) => {
    res.json(await getCustomer(context, req.params.id));
  });

  router.get('/v1/admin/commissions', async (req, res) => {
    const { limit, cursor, ...filter } = commissionQuery.parse(req.query);
    res.json(await listCommissions(context, filter, { limit, cursor }));
  });

  router.get('/v1/admin/commissions/:id', async (req, res) => {
    res.json(await getCommission(context, req.params.id));
  });

  return router;
}

export const adminRecordDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/customers',
    summary: 'Customers, filtered, with cursor pagination.',
    auth: 'admin',
    query: customerQuery,
    responses: { '200': 'A page and the next cursor.' },
    answer: pageOf(customerAnswer),
  },
  {
    method: 'get',
    path: '/v1/admin/customers/:id',
    summary: 'One customer.',
    auth: 'admin',
    responses: { '200': 'The customer.' },
    answer: customerAnswer,
  },
  {
    method: 'get',
    path: '/v1/admin/commissions',
    summary: 'Ledger lines, filtered, with cursor pagination.',
    auth: 'admin',
    query: commissionQuery,
    responses: { '200': 'A page and the next cursor.' },
    answer: pageOf(commissionAnswer),
  },
  {
    method: 'get',
    path: '/v1/admin/commissions/:id',
    summary: 'One ledger line.',
    auth: 'admin',
    responses: { '200': 'The line.' },
    answer: commissionAnswer,
  },
];
