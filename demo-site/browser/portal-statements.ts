// The portal's money views, each read from the collector as it is (no totals derived here from all
// lines): statement lines paged by cursor with base, rate, refunds and the binding click; the book
// of business (customers, paged); the balance explained with its release calendar (/v1/me/balance).
import { collector } from './api';
import { $, el, errorText, fillTable, showStatus } from './dom';
import { money, percent, shortDate } from './format';

type Status = 'pending' | 'payable' | 'paid' | 'reversed';

interface Binding {
  clickedAt: string | null;
  bid: string | null;
  signedUpAt: string | null;
  method: string | null;
  coupon: string | null;
}

export interface StatementLine {
  entryId: string;
  kind: 'commission' | 'clawback' | 'adjustment';
  memo: string | null;
  customerId: string | null;
  occurredAt: string;
  availableAt: string;
  base: number | null;
  rateBasisPoints: number | null;
  amount: number;
  refunded: number;
  net: number;
  status: Status;
  binding: Binding | null;
}

interface Customer {
  customerId: string;
  signedUpAt: string;
  method: string | null;
  bid: string | null;
  coupon: string | null;
  firstInvoiceAt: string | null;
  latestInvoiceAt: string | null;
  monthRevenue: number;
  lifetimeRevenue: number;
  lifetimeCommission: number;
  status: 'active' | 'churned';
}

export interface Balance {
  currency: string;
  pending: number;
  payable: number;
  paid: number;
  reversed: number;
  balance: number;
  minimumPayout: number;
  belowMinimum: boolean;
  carriedForward: number;
  nextReleaseAt: string | null;
  releases: Array<{ month: string; amount: number }>;
}

interface Page<T> {
  /** Lists of money name their currency; others (coupons) do not. */
  currency?: string;
  items: T[];
  nextCursor: string | null;
}

const pageSize = 25;
const badge = (status: string) => el('span', { className: `badge ${status}` }, status);

function describeLine(line: StatementLine): string {
  if (line.kind === 'adjustment') return `${line.net < 0 ? 'Correction' : 'Bonus'}: ${line.memo ?? ''}`;
  if (line.kind === 'clawback') return `Refund after payout, customer ${line.customerId ?? '–'}`;
  return `Invoice of customer ${line.customerId ?? '–'}`;
}

/** The click (date, banner) or coupon code that bound the customer. */
function boundBy(
  binding: { method: string | null; coupon: string | null; bid: string | null; clickedAt?: string | null } | null,
) {
  if (!binding) return '–';
  if (binding.method === 'coupon') return `coupon ${binding.coupon ?? ''}`.trim();
  const banner = binding.bid ? ` · banner ${binding.bid}` : ' · no banner';
  return binding.clickedAt === undefined ? `link${banner}` : `click ${shortDate(binding.clickedAt)}${banner}`;
}

/**
 * A table filled page by page: `load()` starts over, "More" appends the next page (the cursor the
 * collector answered), hidden when there is none.
 */
export function pagedTable<T>(options: {
  path: string;
  table: string;
  more: string;
  columns: number;
  empty: string;
  token: string | null;
  row(item: T, currency: string | undefined): HTMLTableRowElement;
}) {
  const body = $<HTMLTableSectionElement>(`${options.table} tbody`);
  const more = $<HTMLButtonElement>(options.more);
  let cursor: string | null = null;
  const fetchPage = async (append: boolean) => {
    const query = new URLSearchParams({ limit: String(pageSize), ...(append && cursor ? { cursor } : {}) });
    const page = await collector<Page<T>>(`${options.path}?${query}`, { token: options.token });
    const rows = page.items.map((item) => options.row(item, page.currency));
    if (append) body.append(...rows);
    else fillTable(body, rows, options.columns, options.empty);
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    fetchPage(true)
      .catch((error: unknown) => showStatus($('#portal'), errorText(error), 'error'))
      .finally(() => (more.disabled = false));
  });
  return { load: () => fetchPage(false) };
}

export function initPortalStatements(token: string | null) {
  const commissions = pagedTable<StatementLine>({
    path: '/v1/me/commissions',
    table: '#commissions',
    more: '#commissions-more',
    columns: 9,
    empty: 'No commissions yet: they appear when the stores you referred pay their invoices.',
    token,
    row: (line, currency) => {
      const tr = el(
        'tr',
        {},
        el('td', {}, shortDate(line.occurredAt)),
        el('td', { className: 'text' }, describeLine(line)),
        el('td', { className: 'text' }, line.kind === 'commission' ? boundBy(line.binding) : '–'),
        el('td', {}, badge(line.status), el('br'), shortDate(line.availableAt)),
        el('td', { className: 'num' }, line.base === null ? '–' : money(line.base, currency)),
        el('td', { className: 'num' }, percent(line.rateBasisPoints)),
        el('td', { className: 'num' }, money(line.amount, currency)),
        el('td', { className: 'num' }, line.refunded ? money(-line.refunded, currency) : '–'),
        el('td', { className: 'num' }, money(line.net, currency)),
      );
      tr.dataset.entry = line.entryId;
      return tr;
    },
  });

  const customers = pagedTable<Customer>({
    path: '/v1/me/customers',
    table: '#customer-table',
    more: '#customers-more',
    columns: 9,
    empty: 'No customers yet: a store that signs up through your link or code appears here.',
    token,
    row: (customer, currency) => {
      const tr = el(
        'tr',
        {},
        el('td', {}, el('code', {}, customer.customerId)),
        el('td', {}, shortDate(customer.signedUpAt)),
        el('td', { className: 'text' }, boundBy(customer)),
        el('td', {}, shortDate(customer.firstInvoiceAt)),
        el('td', {}, shortDate(customer.latestInvoiceAt)),
        el('td', { className: 'num' }, money(customer.monthRevenue, currency)),
        el('td', { className: 'num' }, money(customer.lifetimeRevenue, currency)),
        el('td', { className: 'num' }, money(customer.lifetimeCommission, currency)),
        el('td', {}, badge(customer.status)),
      );
      tr.dataset.customer = customer.customerId;
      return tr;
    },
  });

  return {
    load: () => Promise.all([commissions.load(), customers.load()]).then(() => undefined),
    balance: () => collector<Balance>('/v1/me/balance', { token }),
  };
}

/** The release calendar: the pending amounts by the month they become payable. */
export function renderReleases(balance: Balance): void {
  fillTable(
    $<HTMLTableSectionElement>('#releases tbody'),
    balance.releases.map((release) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, release.month),
        el('td', { className: 'num' }, money(release.amount, balance.currency)),
      ),
    ),
    2,
    'Nothing pending: no commission waits for its hold to end.',
  );
}
