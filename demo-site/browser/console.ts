// The operator console: partners (status changes with a reason, rate override), the partner
// report, payout runs (preview, run, PayPal exports, completion), Ashop Commerce's monthly
// billing and banners. Admin JWT (or an admin API key) in sessionStorage.
import { ApiError, collector, download, session, site } from './api';
import { initConsoleAttribution } from './console-attribution';
import { $, busy, el, errorText, fillTable, formValues, showStatus } from './dom';
import { webhooksPanel } from './console-webhooks';
import { count, isoDay, money, shortDate } from './format';

interface PartnerRow {
  partnerId: string;
  name: string;
  email: string;
  status: 'pending' | 'pending_approval' | 'active' | 'frozen' | 'disabled';
  payoutEmail: string | null;
  website: string | null;
  link: string;
  createdAt: string | null;
  commissionRate: string;
  /** Whether commissionRate is this partner's own rate rather than the program's. */
  rateOverride: boolean;
}

/** GET /v1/admin/reports/partners rows: counters over the period, money as of now. */
interface ReportRow {
  partnerId: string;
  name: string;
  clicks: number;
  uniqueClicks: number;
  signups: number;
  customers: number;
  revenue: number;
  earned: number;
  commission: { pending: number; payable: number; paid: number; reversed: number };
  balance: number;
}

interface PayoutAnswer {
  payoutId?: string | null;
  asOf?: string;
  status?: string;
  items: Array<{ partnerId: string; amount: number; payoutEmail: string; status?: string }>;
  withheld: Array<{ partnerId: string; balance: number; reason: string }>;
}

interface BilledInvoice {
  customerId: string;
  storeName: string;
  eventId: string;
  total: number;
  status: number;
  /** The collector's answer: `{eventId, commission}`, or a problem with its `detail`. */
  answer: { commission?: number; detail?: string } | null;
}

interface BannerRow {
  bannerId: string;
  name: string;
  imageUrl: string;
  altText: string;
  width: number;
  height: number;
  targetPath: string;
  active: boolean;
}

interface AuditItem {
  actor: string;
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
  at: string;
}

interface LedgerLine {
  entryId: string;
  kind: 'commission' | 'clawback' | 'adjustment';
  memo: string | null;
  customerId: string | null;
  occurredAt: string;
  availableAt: string;
  net: number;
  status: string;
  payoutId: string | null;
}

interface PartnerPayout {
  payoutId: string;
  createdAt: string;
  amount: number;
  status: string;
}

const loginSection = $('#console-login');
const consoleSection = $('#console');
let token = session.get('admin');

const admin = <T>(path: string, options: { method?: string; body?: unknown } = {}) =>
  collector<T>(path, { ...options, token });

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Fills `table` from a cursor-paged list: the first page now, the next one each time its
 * "Show more" button (`<table id>-more`, shown while there is a next page) is pressed.
 */
async function pagedTable<T>(
  scope: Element,
  table: string,
  path: string,
  row: (item: T) => HTMLTableRowElement,
  columns: number,
  empty: string,
): Promise<void> {
  const body = $<HTMLTableSectionElement>(`${table} tbody`);
  const more = $<HTMLButtonElement>(`${table}-more`);
  const load = async (cursor: string | null) => {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await admin<Page<T>>(cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
    const rows = answer.items.map(row);
    if (cursor) body.append(...rows);
    // A filtered page reads a bounded part of the list: none found yet is not the end of it.
    else fillTable(body, rows, columns, answer.nextCursor ? `${empty} (so far: show more to read on)` : empty);
    more.hidden = answer.nextCursor === null;
    more.onclick = () => act(scope, () => load(answer.nextCursor));
  };
  await load(null);
}

/** Runs a console action; its messages go to the section's status line. A 401 logs out. */
async function act(scope: Element, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 401) return logOut('Your session ended: log in again.');
    showStatus(scope, errorText(error), 'error');
  }
}

function logOut(message?: string): void {
  session.clear('admin');
  token = null;
  consoleSection.hidden = true;
  loginSection.hidden = false;
  if (message) showStatus($('#admin-login'), message, 'error');
}

async function enter(newToken: string): Promise<void> {
  token = newToken;
  // Any admin route proves the credentials before the console opens.
  await admin('/v1/admin/partners?limit=1');
  session.set('admin', newToken);
  loginSection.hidden = true;
  consoleSection.hidden = false;
  await Promise.all([
    loadApprovals(),
    loadPartners(),
    loadReport(),
    loadBanners(),
    loadPayoutHistory(),
    loadWebhooks(),
    attribution.load(),
  ]);
}

/** A login form: its own errors (a 401 here is a wrong password, not an ended session). */
function onLogin(selector: string, logIn: (values: Record<string, string>) => Promise<string>): void {
  const form = $<HTMLFormElement>(selector);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, async () => {
      try {
        await enter(await logIn(formValues(form)));
      } catch (error) {
        token = null;
        showStatus(form, errorText(error), 'error');
      }
    });
  });
}

onLogin('#admin-login', async (values) => {
  const answer = await collector<{ token: string; role: string }>('/v1/auth/login', {
    body: { email: values.email, password: values.password },
  });
  if (answer.role !== 'admin') throw new Error('This is a partner account: partners use the partner portal.');
  return answer.token;
});
onLogin('#admin-key', async (values) => values.key ?? '');

$('#logout').addEventListener('click', () => logOut());

// Partners ----------------------------------------------------------------------------------

const partnerSection = $('#partners');
const statusDialog = $<HTMLDialogElement>('#status-dialog');

/** What a status change does, said before it is confirmed. */
const effectsOf: Partial<Record<PartnerRow['status'], string[]>> = {
  disabled: [
    'Every unpaid commission is reversed (commissions already paid stay paid).',
    "The partner's links stop counting: new clicks and signups are not attributed.",
    'The partner can no longer log in; open sessions end at once.',
  ],
  frozen: [
    'Commissions keep accruing, but payouts are withheld until unfrozen.',
    "New clicks on the partner's links do not count.",
  ],
  active: ['Payouts and link tracking resume.'],
};

/** Asks for the (required) reason; resolves undefined when cancelled. */
function askReason(text: string, effects: string[] = [], confirmLabel = 'Confirm'): Promise<string | undefined> {
  const form = $<HTMLFormElement>('form', statusDialog);
  form.reset();
  $('#status-dialog-text').textContent = text;
  $('#status-dialog-effects').replaceChildren(...effects.map((effect) => el('li', {}, effect)));
  $('button[value="ok"]', statusDialog).textContent = confirmLabel;
  // Escape closes without setting a value: the last one must not confirm this time.
  statusDialog.returnValue = '';
  statusDialog.showModal();
  return new Promise((resolve) => {
    statusDialog.addEventListener(
      'close',
      () => {
        const reason = new FormData(form).get('reason');
        resolve(
          statusDialog.returnValue === 'ok' && typeof reason === 'string' && reason.trim() ? reason.trim() : undefined,
        );
      },
      { once: true },
    );
  });
}

const actionsFor: Record<PartnerRow['status'], Array<[string, PartnerRow['status']]>> = {
  pending: [
    ['Freeze', 'frozen'],
    ['Disable', 'disabled'],
  ],
  pending_approval: [['Disable', 'disabled']],
  active: [
    ['Freeze', 'frozen'],
    ['Disable', 'disabled'],
  ],
  frozen: [
    ['Unfreeze', 'active'],
    ['Disable', 'disabled'],
  ],
  disabled: [],
};

const statusBadge = (status: string) => el('span', { className: `badge ${status}` }, status.replace('_', ' '));

function openPartnerButton(partner: PartnerRow): HTMLButtonElement {
  const button = el('button', { className: 'linklike', type: 'button' }, partner.name);
  button.onclick = () => void act(partnerSection, () => openPartner(partner.partnerId));
  return button;
}

const percentOf = (rate: string) => String(Number((Number(rate) * 100).toFixed(4)));

function partnerRow(partner: PartnerRow): HTMLTableRowElement {
  const rate = el('input', {
    type: 'number',
    min: '0',
    max: '100',
    step: '0.1',
    value: percentOf(partner.commissionRate),
    ariaLabel: `Commission rate of ${partner.partnerId} in percent`,
  });
  rate.style.width = '5.5rem';
  const saveRate = el('button', { className: 'button ghost small', type: 'button' }, 'Set %');
  saveRate.onclick = () =>
    act(partnerSection, async () => {
      const percent = rate.value.trim();
      if (!/^\d{1,3}(\.\d{1,4})?$/.test(percent) || Number(percent) > 100)
        throw new Error('The rate is a percentage from 0 to 100.');
      // Rates have at most 6 decimals (parts per million): toFixed drops the float noise of the division.
      const commissionRate = Number((Number(percent) / 100).toFixed(6));
      await admin(`/v1/admin/partners/${encodeURIComponent(partner.partnerId)}`, {
        method: 'PATCH',
        body: { commissionRate },
      });
      showStatus(partnerSection, `Rate of ${partner.partnerId} set to ${percent}%.`, 'ok');
      await loadPartners();
    });
  const resetRate = el(
    'button',
    {
      className: 'button ghost small',
      type: 'button',
      hidden: !partner.rateOverride,
      title: 'Back to the program rate',
    },
    'Default',
  );
  resetRate.onclick = () =>
    act(partnerSection, async () => {
      await admin(`/v1/admin/partners/${encodeURIComponent(partner.partnerId)}`, {
        method: 'PATCH',
        body: { commissionRate: null },
      });
      showStatus(partnerSection, `${partner.partnerId} earns the program rate again.`, 'ok');
      await loadPartners();
    });
  const buttons = actionsFor[partner.status].map(([label, status]) => {
    const button = el(
      'button',
      { className: `button small ${status === 'disabled' ? 'danger' : 'ghost'}`, type: 'button' },
      label,
    );
    button.onclick = () =>
      act(partnerSection, async () => {
        const reason = await askReason(
          `${label} partner ${partner.name} (${partner.partnerId}).`,
          effectsOf[status],
          status === 'disabled' ? 'Disable partner' : 'Confirm',
        );
        if (!reason) return;
        const change = await admin<{ reversed?: { count: number; amount: number } }>(
          `/v1/admin/partners/${encodeURIComponent(partner.partnerId)}/status`,
          { body: { status, reason } },
        );
        const reversed = change.reversed?.count
          ? `; ${change.reversed.count} unpaid commission(s) reversed (${money(-change.reversed.amount)})`
          : '';
        showStatus(partnerSection, `${partner.partnerId} is now ${status}${reversed}.`, 'ok');
        // The report's money columns changed too (a disable reverses commissions).
        await Promise.all([loadPartners(), loadReport()]);
      });
    return button;
  });
  const row = el(
    'tr',
    {},
    el(
      'th',
      { scope: 'row' },
      openPartnerButton(partner),
      el('br'),
      el('code', { className: 'muted' }, partner.partnerId),
    ),
    el('td', {}, partner.email),
    el('td', {}, statusBadge(partner.status)),
    el('td', {}, el('span', { className: 'actions' }, rate, saveRate, resetRate)),
    el('td', {}, el('span', { className: 'actions' }, ...buttons)),
  );
  row.dataset.partnerId = partner.partnerId;
  return row;
}

async function loadPartners(): Promise<void> {
  const filter = formValues($<HTMLFormElement>('#partner-filter'));
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value));
  await pagedTable(
    partnerSection,
    '#partner-table',
    `/v1/admin/partners?${query}`,
    partnerRow,
    5,
    'No partners match.',
  );
}

$<HTMLFormElement>('#partner-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(partnerSection, loadPartners);
});

// Reports -----------------------------------------------------------------------------------

const reportSection = $('#reports');
/** [sort key of the API, header, cell] */
const reportColumns: Array<[string, string, (row: ReportRow) => string]> = [
  ['clicks', 'Clicks', (r) => count(r.clicks)],
  ['uniqueClicks', 'Unique', (r) => count(r.uniqueClicks)],
  ['signups', 'Signups', (r) => count(r.signups)],
  ['customers', 'Customers', (r) => count(r.customers)],
  ['revenue', 'Revenue', (r) => money(r.revenue)],
  ['earned', 'Earned', (r) => money(r.earned)],
  ['pending', 'Pending', (r) => money(r.commission.pending)],
  ['payable', 'Payable', (r) => money(r.commission.payable)],
  ['paid', 'Paid', (r) => money(r.commission.paid)],
  ['balance', 'Balance', (r) => money(r.balance)],
];
let reportSort = { key: 'revenue', order: 'desc' as 'asc' | 'desc' };
let focusSortedHeader = false;
const rangeGiven = () => Object.values(formValues($<HTMLFormElement>('#report-range'))).some(Boolean);

function reportQuery(): URLSearchParams {
  const range = Object.entries(formValues($<HTMLFormElement>('#report-range'))).filter(([, value]) => value);
  return new URLSearchParams([...range, ['sort', reportSort.key], ['order', reportSort.order]]);
}

/** The collector sorts (the CSV comes in the same order); headers are buttons that change the sort. */
async function loadReport(): Promise<void> {
  const answer = await admin<{ from: string; to: string; items: ReportRow[] }>(
    `/v1/admin/reports/partners?${reportQuery()}`,
  );
  const table = $<HTMLTableElement>('#report-table');
  const header = (key: string, label: string) => {
    const sorted = reportSort.key === key;
    const arrow = el(
      'span',
      { className: 'sort-arrow', ariaHidden: 'true' },
      sorted ? (reportSort.order === 'desc' ? '▼' : '▲') : '↕',
    );
    const button = el('button', { type: 'button' }, label, arrow);
    button.onclick = () => {
      reportSort = { key, order: reportSort.key === key && reportSort.order === 'desc' ? 'asc' : 'desc' };
      focusSortedHeader = true;
      void act(reportSection, loadReport);
    };
    const th = el('th', { scope: 'col', className: key === 'name' ? '' : 'num' }, button);
    th.dataset.key = key;
    th.setAttribute(
      'aria-sort',
      reportSort.key === key ? (reportSort.order === 'desc' ? 'descending' : 'ascending') : 'none',
    );
    return th;
  };
  const period = `${answer.from} to ${answer.to}`;
  $('#report-period').textContent =
    `Counters and commission earned: ${period} (UTC days${rangeGiven() ? '' : ', the last 30 days by default'}). Commission by status and balance: now.`;
  const nowFrom = reportColumns.findIndex(([key]) => key === 'pending');
  table.tHead!.replaceChildren(
    el(
      'tr',
      { className: 'groups' },
      el('td', {}),
      el('th', { scope: 'colgroup', colSpan: nowFrom }, `In the period ${period}`),
      el('th', { scope: 'colgroup', colSpan: reportColumns.length - nowFrom, className: 'now-start' }, 'Now'),
    ),
    el('tr', {}, header('name', 'Partner'), ...reportColumns.map(([key, label]) => header(key, label))),
  );
  for (const cell of table.tHead!.rows[1]!.cells) if (cell.dataset.key === 'pending') cell.classList.add('now-start');
  // Sorting re-renders the headers: the keyboard focus stays on the column just sorted.
  if (focusSortedHeader) {
    focusSortedHeader = false;
    table.tHead!.querySelector<HTMLButtonElement>(`th[data-key="${reportSort.key}"] button`)?.focus();
  }
  fillTable(
    table.tBodies[0]!,
    answer.items.map((row) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, `${row.name} (${row.partnerId})`),
        ...reportColumns.map(([key, , cell]) =>
          el('td', { className: key === 'pending' ? 'num now-start' : 'num' }, cell(row)),
        ),
      ),
    ),
    reportColumns.length + 1,
    'No partners yet.',
  );
}

$<HTMLFormElement>('#report-range').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(reportSection, loadReport);
});
$('#report-csv').addEventListener(
  'click',
  () =>
    void act(reportSection, () =>
      download(`/v1/admin/reports/partners.csv?${reportQuery()}`, token ?? '', 'ashop-partner-report.csv'),
    ),
);

// Payouts -----------------------------------------------------------------------------------

const payoutSection = $('#payouts');
const payoutForm = $<HTMLFormElement>('#payout-run');
$<HTMLInputElement>('input[name="asOf"]', payoutForm).value = isoDay(new Date());

const asOfText = (answer: PayoutAnswer) => (answer.asOf ? answer.asOf.slice(0, 10) : formValues(payoutForm).asOf);

function renderPayout(answer: PayoutAnswer): void {
  const box = $('#payout-result');
  const batch = answer.payoutId;
  const failedBoxes = new Map<string, HTMLInputElement>();
  const paid = el(
    'table',
    { className: 'data' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Partner'),
        el('th', { scope: 'col' }, 'PayPal email'),
        el('th', { scope: 'col', className: 'num' }, 'Amount'),
        batch ? el('th', { scope: 'col' }, 'Failed at PayPal?') : null,
      ),
    ),
    el('tbody'),
  );
  fillTable(
    paid.tBodies[0]!,
    answer.items.map((item) => {
      const failed = el('input', { type: 'checkbox', ariaLabel: `Payment to ${item.partnerId} failed` });
      failedBoxes.set(item.partnerId, failed);
      return el(
        'tr',
        {},
        el('td', {}, item.partnerId),
        el('td', {}, item.payoutEmail),
        el('td', { className: 'num' }, money(item.amount)),
        batch ? el('td', {}, failed) : null,
      );
    }),
    batch ? 4 : 3,
    'Nobody to pay.',
  );
  const withheld = el(
    'table',
    { className: 'data' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Partner'),
        el('th', { scope: 'col' }, 'Reason'),
        el('th', { scope: 'col', className: 'num' }, 'Balance'),
      ),
    ),
    el('tbody'),
  );
  fillTable(
    withheld.tBodies[0]!,
    answer.withheld.map((item) =>
      el(
        'tr',
        {},
        el('td', {}, item.partnerId),
        el('td', {}, item.reason),
        el('td', { className: 'num' }, money(item.balance)),
      ),
    ),
    3,
    'Nothing withheld.',
  );
  const total = answer.items.reduce((sum, item) => sum + item.amount, 0);
  if (answer.items.length === 0) {
    box.replaceChildren(
      el(
        'p',
        { className: 'notice' },
        `Nobody to pay as of ${asOfText(answer)}: no partner has a payable balance of at least the payout minimum${answer.payoutId ? '' : ', so no batch was created'}.`,
      ),
      ...(answer.withheld.length
        ? [el('h3', {}, 'Withheld (carried forward)'), el('div', { className: 'scroll' }, withheld)]
        : []),
    );
    return;
  }
  const parts: Node[] = [
    el('h3', {}, batch ? `Batch ${batch}` : `Preview as of ${asOfText(answer)} (nothing is locked yet)`),
    el('p', {}, `${answer.items.length} payment(s), ${money(total)} in total.`),
    el('div', { className: 'scroll' }, paid),
    el('h3', {}, 'Withheld (carried forward)'),
    el('div', { className: 'scroll' }, withheld),
  ];
  if (batch && answer.status !== 'completed' && answer.status !== 'abandoned') {
    const csv = el('button', { className: 'button ghost', type: 'button' }, 'PayPal CSV');
    csv.onclick = () =>
      act(payoutSection, () => download(`/v1/admin/payouts/${batch}/paypal.csv`, token ?? '', `${batch}.csv`));
    const json = el('button', { className: 'button ghost', type: 'button' }, 'Payouts API JSON');
    json.onclick = () =>
      act(payoutSection, () => download(`/v1/admin/payouts/${batch}/paypal.json`, token ?? '', `${batch}.json`));
    const complete = el('button', { className: 'button', type: 'button' }, 'Mark batch paid');
    complete.onclick = () =>
      act(payoutSection, async () => {
        const failed = [...failedBoxes].filter(([, box]) => box.checked).map(([partnerId]) => partnerId);
        await admin(`/v1/admin/payouts/${batch}/complete`, { body: { failed } });
        complete.disabled = true;
        await Promise.all([loadReport(), loadPayoutHistory()]);
        showStatus(
          payoutSection,
          `Batch ${batch} completed${failed.length ? `; ${failed.length} failed item(s) back in their balances` : ''}.`,
          'ok',
        );
      });
    parts.push(el('p', { className: 'actions' }, csv, json, complete));
  }
  box.replaceChildren(...parts);
}

/**
 * End of the chosen UTC day (a run "as of" a date includes everything available that day), but
 * never later than now: the collector refuses runs dated in the future.
 */
function asOfValue(): string {
  const asOf = formValues(payoutForm).asOf;
  if (!asOf) throw new Error('Choose the "as of" date.');
  const end = new Date(`${asOf}T23:59:59.999Z`);
  const now = new Date();
  return (end > now ? now : end).toISOString();
}

payoutForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void busy(payoutForm, () =>
    act(payoutSection, async () => {
      const run = await admin<PayoutAnswer>('/v1/admin/payouts', { body: { asOf: asOfValue() } });
      renderPayout(run);
      await loadPayoutHistory();
      showStatus(
        payoutSection,
        run.items.length
          ? 'Payout batch created: download the PayPal file, pay, then mark the batch paid.'
          : 'Nothing to pay: see below.',
        'ok',
      );
    }),
  );
});
$('#payout-preview').addEventListener(
  'click',
  () =>
    void busy(payoutForm, () =>
      act(payoutSection, async () => {
        renderPayout(await admin<PayoutAnswer>('/v1/admin/payouts', { body: { asOf: asOfValue(), preview: true } }));
        showStatus(payoutSection, 'Preview ready: run the payouts to lock these amounts.', 'ok');
      }),
    ),
);

interface PayoutSummary {
  payoutId: string;
  asOf: string;
  createdAt: string;
  status: string;
  items: Array<{ partnerId: string; amount: number; payoutEmail: string; status?: string }>;
  withheld: PayoutAnswer['withheld'];
}

async function loadPayoutHistory(): Promise<void> {
  await pagedTable<PayoutSummary>(
    payoutSection,
    '#payout-history',
    '/v1/admin/payouts',
    (payout) => {
      const view = el('button', { className: 'button ghost small', type: 'button' }, 'Details');
      view.onclick = () =>
        act(payoutSection, async () => {
          const batch = await admin<PayoutSummary>(`/v1/admin/payouts/${encodeURIComponent(payout.payoutId)}`);
          renderPayout({ ...batch, payoutId: batch.payoutId });
          $('#payout-result').scrollIntoView({ block: 'start' });
        });
      const row = el(
        'tr',
        {},
        el('td', {}, el('code', {}, payout.payoutId)),
        el('td', {}, shortDate(payout.createdAt)),
        el('td', {}, shortDate(payout.asOf)),
        el('td', {}, statusBadge(payout.status)),
        el('td', { className: 'num' }, count(payout.items.length)),
        el('td', { className: 'num' }, money(payout.items.reduce((sum, item) => sum + item.amount, 0))),
        el('td', {}, view),
      );
      row.dataset.payoutId = payout.payoutId;
      return row;
    },
    7,
    'No payout batches yet.',
  );
}

// Billing -----------------------------------------------------------------------------------

const billingSection = $('#billing');

$('#bill-month').addEventListener(
  'click',
  () =>
    void busy(billingSection, () =>
      act(billingSection, async () => {
        const answer = await site<{ month: string; invoices: BilledInvoice[] }>('/api/billing', { body: {}, token });
        fillTable(
          $<HTMLTableSectionElement>('#billing-table tbody'),
          answer.invoices.map((invoice) =>
            el(
              'tr',
              {},
              el('td', {}, `${invoice.storeName} (${invoice.customerId})`),
              el('td', {}, invoice.eventId),
              el('td', { className: 'num' }, money(invoice.total)),
              el(
                'td',
                { className: 'num' },
                invoice.answer?.commission === undefined ? '–' : money(invoice.answer.commission),
              ),
              el(
                'td',
                {},
                invoice.status === 201
                  ? 'billed'
                  : invoice.status === 200
                    ? 'already billed'
                    : `failed: ${invoice.answer?.detail ?? invoice.status}`,
              ),
            ),
          ),
          5,
          'No stores yet: create one on /signup.',
        );
        const billed = answer.invoices.filter((invoice) => invoice.status === 201).length;
        const before = answer.invoices.filter((invoice) => invoice.status === 200).length;
        const failed = answer.invoices.length - billed - before;
        showStatus(
          billingSection,
          billed === 0 && failed === 0
            ? `Nothing new to bill: ${answer.month} was billed before${before ? ` (all ${before} invoice(s))` : ''}; no commission changed.`
            : `Billed ${answer.month}: ${billed} new invoice(s)${before ? `, ${before} billed before` : ''}${failed ? `, ${failed} failed` : ''}.`,
          failed ? 'error' : 'ok',
        );
        await loadReport();
      }),
    ),
);

// Banners -----------------------------------------------------------------------------------

const bannerSection = $('#banners');

const bannerForm = $<HTMLFormElement>('#banner-form');
/** The banner being edited, or undefined when the form creates one. */
let editing: string | undefined;

function confirmAction(text: string, confirmLabel: string): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('#confirm-dialog');
  $('#confirm-dialog-text').textContent = text;
  $('#confirm-dialog-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }),
  );
}

function editBanner(banner?: BannerRow): void {
  editing = banner?.bannerId;
  bannerForm.reset();
  const field = (name: string) => $<HTMLInputElement>(`[name="${name}"]`, bannerForm);
  field('bannerId').disabled = Boolean(banner);
  if (banner) {
    field('bannerId').value = banner.bannerId;
    field('name').value = banner.name;
    field('imageUrl').value = banner.imageUrl;
    field('width').value = String(banner.width);
    field('height').value = String(banner.height);
    field('targetPath').value = banner.targetPath;
    field('altText').value = banner.altText;
    field('active').checked = banner.active;
  }
  $('#banner-form-title').textContent = banner ? `Edit banner ${banner.bannerId}` : 'New banner';
  $('#banner-submit').textContent = banner ? 'Save banner' : 'Create banner';
  $('#banner-cancel').hidden = !banner;
  if (banner) field('name').focus();
}

async function loadBanners(): Promise<void> {
  await pagedTable<BannerRow>(
    bannerSection,
    '#banner-table',
    '/v1/admin/banners',
    (banner) => {
      const edit = el('button', { className: 'button ghost small', type: 'button' }, 'Edit');
      edit.onclick = () => editBanner(banner);
      const remove = el('button', { className: 'button danger small', type: 'button' }, 'Delete');
      remove.onclick = () =>
        act(bannerSection, async () => {
          const sure = await confirmAction(
            `Delete banner "${banner.name}" (${banner.bannerId})? Partners no longer get its code; links already pasted keep working but count without a banner.`,
            'Delete banner',
          );
          if (!sure) return;
          await admin(`/v1/admin/banners/${encodeURIComponent(banner.bannerId)}`, { method: 'DELETE' });
          if (editing === banner.bannerId) editBanner();
          await loadBanners();
          showStatus(bannerSection, `Banner "${banner.name}" deleted.`, 'ok');
        });
      // A thumbnail at most 160 px wide, in the banner's proportions.
      const scale = Math.min(1, 160 / banner.width);
      const preview = el('img', {
        src: banner.imageUrl,
        alt: banner.altText,
        width: Math.round(banner.width * scale),
        height: Math.round(banner.height * scale),
        loading: 'lazy',
        className: 'banner-thumb',
      });
      const row = el(
        'tr',
        {},
        el('td', {}, el('a', { href: banner.imageUrl, target: '_blank', rel: 'noopener' }, preview)),
        el('td', {}, el('code', {}, banner.bannerId)),
        el('td', {}, banner.name),
        el('td', {}, `${banner.width}×${banner.height}`),
        el('td', {}, banner.targetPath),
        el('td', {}, banner.active ? 'yes' : 'no'),
        el('td', {}, el('span', { className: 'actions' }, edit, remove)),
      );
      row.dataset.bannerId = banner.bannerId;
      return row;
    },
    7,
    'No banners yet.',
  );
}

$('#banner-cancel').addEventListener('click', () => editBanner());

bannerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void busy(bannerForm, () =>
    act(bannerSection, async () => {
      const values = formValues(bannerForm);
      const fields = {
        name: values.name,
        imageUrl: values.imageUrl,
        width: Number(values.width),
        height: Number(values.height),
        targetPath: values.targetPath || '/',
        altText: values.altText,
        active: $<HTMLInputElement>('[name="active"]', bannerForm).checked,
      };
      if (editing) {
        await admin(`/v1/admin/banners/${encodeURIComponent(editing)}`, { method: 'PATCH', body: fields });
        showStatus(bannerSection, `Banner "${values.name}" saved.`, 'ok');
      } else {
        await admin('/v1/admin/banners', {
          body: { ...(values.bannerId ? { bannerId: values.bannerId } : {}), ...fields },
        });
        showStatus(bannerSection, `Banner "${values.name}" created.`, 'ok');
      }
      editBanner();
      await loadBanners();
    }),
  );
});

const loadWebhooks = webhooksPanel(admin, act);
const attribution = initConsoleAttribution(admin, act, pagedTable);
// Approvals (ASHOP_PARTNER_APPROVAL=manual) -------------------------------------------------

const approvalSection = $('#approvals');

async function loadApprovals(): Promise<void> {
  const answer = await admin<{ mode: string; items: PartnerRow[] }>('/v1/admin/approvals');
  const manual = answer.mode === 'manual';
  approvalSection.hidden = !manual;
  $('#approvals-tab').hidden = !manual;
  if (!manual) return;
  fillTable(
    $<HTMLTableSectionElement>('#approval-table tbody'),
    answer.items.map((partner) => {
      const decide = (decision: 'approve' | 'reject', label: string) => {
        const button = el(
          'button',
          { className: `button small ${decision === 'reject' ? 'danger' : ''}`, type: 'button' },
          label,
        );
        button.onclick = () =>
          act(approvalSection, async () => {
            const reason = await askReason(
              `${label} ${partner.name} (${partner.email}).`,
              decision === 'approve'
                ? ['The partner becomes active: their links count from now on.', 'They are told by email.']
                : ['The account is disabled: no login, links do not count.', 'They are told by email.'],
              label,
            );
            if (!reason) return;
            await admin(`/v1/admin/partners/${encodeURIComponent(partner.partnerId)}/approval`, {
              body: { decision, reason },
            });
            showStatus(approvalSection, `${partner.name} ${decision === 'approve' ? 'approved' : 'rejected'}.`, 'ok');
            await Promise.all([loadApprovals(), loadPartners()]);
          });
        return button;
      };
      const row = el(
        'tr',
        {},
        el('th', { scope: 'row' }, partner.name, el('br'), el('code', { className: 'muted' }, partner.partnerId)),
        el('td', {}, partner.email),
        el('td', {}, partner.website ?? '–'),
        el('td', {}, shortDate(partner.createdAt)),
        el('td', {}, el('span', { className: 'actions' }, decide('approve', 'Approve'), decide('reject', 'Reject'))),
      );
      row.dataset.partnerId = partner.partnerId;
      return row;
    }),
    5,
    'Nobody is waiting for approval.',
  );
}

// Partner page ------------------------------------------------------------------------------

const partnerPage = $('#partner-page');
let openPartnerId: string | undefined;

const describeAudit = (item: AuditItem) =>
  Object.entries(item.details ?? {})
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');

async function openPartner(partnerId: string): Promise<void> {
  openPartnerId = partnerId;
  const path = `/v1/admin/partners/${encodeURIComponent(partnerId)}`;
  const [partner, notes, lines, payouts] = await Promise.all([
    admin<PartnerRow & { audit: AuditItem[] }>(path),
    admin<{ items: Array<{ text: string; author: string; at: string }> }>(`${path}/notes`),
    admin<{ items: LedgerLine[] }>(`${path}/commissions`),
    admin<{ items: PartnerPayout[] }>(`${path}/payouts`),
  ]);
  $('#partner-page-title').textContent = `${partner.name} (${partner.partnerId})`;
  const facts: Array<[string, Node | string]> = [
    ['Status', statusBadge(partner.status)],
    ['Email', partner.email],
    ['PayPal email', partner.payoutEmail ?? 'none (payouts withheld)'],
    ['Website', partner.website ?? '–'],
    ['Commission rate', `${percentOf(partner.commissionRate)}%${partner.rateOverride ? ' (own rate)' : ''}`],
    ['Partner link', partner.link],
    ['Joined', shortDate(partner.createdAt)],
  ];
  $('#partner-profile').replaceChildren(
    ...facts.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, value))),
  );
  const history = partner.audit.filter((item) => item.action === 'partner.status');
  $('#partner-history').replaceChildren(
    ...(history.length
      ? history.map((item) =>
          el(
            'li',
            {},
            el('time', { dateTime: item.at }, item.at.slice(0, 16).replace('T', ' ')),
            ` ${String(item.details?.from ?? '?')} → ${String(item.details?.to ?? '?')}`,
            item.reason ? `: ${item.reason}` : '',
            el('span', { className: 'muted' }, ` (${item.actor})`),
          ),
        )
      : [el('li', { className: 'muted' }, 'No status changes yet.')]),
  );
  $('#partner-notes').replaceChildren(
    ...(notes.items.length
      ? notes.items.map((note) =>
          el(
            'li',
            {},
            el('p', {}, note.text),
            el('p', { className: 'muted small' }, `${note.at.slice(0, 16).replace('T', ' ')} UTC · ${note.author}`),
          ),
        )
      : [el('li', { className: 'muted' }, 'No notes yet.')]),
  );
  fillTable(
    $<HTMLTableSectionElement>('#partner-commissions tbody'),
    lines.items.map((line) =>
      el(
        'tr',
        {},
        el('td', {}, shortDate(line.occurredAt)),
        el(
          'td',
          {},
          line.kind === 'adjustment'
            ? `Adjustment: ${line.memo ?? ''}`
            : `${line.kind === 'clawback' ? 'Clawback' : 'Commission'}, customer ${line.customerId ?? '–'}`,
        ),
        el('td', {}, statusBadge(line.status)),
        el('td', {}, shortDate(line.availableAt)),
        el('td', { className: 'num' }, money(line.net)),
      ),
    ),
    5,
    'No commissions yet.',
  );
  fillTable(
    $<HTMLTableSectionElement>('#partner-payouts tbody'),
    payouts.items.map((payout) =>
      el(
        'tr',
        {},
        el('td', {}, shortDate(payout.createdAt)),
        el('td', {}, el('code', {}, payout.payoutId)),
        el('td', {}, statusBadge(payout.status)),
        el('td', { className: 'num' }, money(payout.amount)),
      ),
    ),
    4,
    'No payouts yet.',
  );
  fillTable(
    $<HTMLTableSectionElement>('#partner-audit tbody'),
    partner.audit.map((item) =>
      el(
        'tr',
        {},
        el('td', {}, item.at.slice(0, 16).replace('T', ' ')),
        el('td', {}, item.actor),
        el('td', {}, item.action, item.reason ? `: ${item.reason}` : ''),
        el('td', { className: 'small' }, describeAudit(item)),
      ),
    ),
    4,
    'Nothing yet.',
  );
  partnerPage.hidden = false;
  partnerPage.focus();
  partnerPage.scrollIntoView({ block: 'start' });
}

$('#partner-page-close').addEventListener('click', () => {
  partnerPage.hidden = true;
  const id = openPartnerId;
  openPartnerId = undefined;
  document.querySelector<HTMLButtonElement>(`#partner-table tr[data-partner-id="${id}"] button.linklike`)?.focus();
});

$<HTMLFormElement>('#note-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  if (!openPartnerId || !form.reportValidity()) return;
  const partnerId = openPartnerId;
  void busy(form, () =>
    act(partnerPage, async () => {
      await admin(`/v1/admin/partners/${encodeURIComponent(partnerId)}/notes`, {
        body: { text: formValues(form).text },
      });
      form.reset();
      await openPartner(partnerId);
      showStatus(partnerPage, 'Note added.', 'ok');
    }),
  );
});

/** "12.5" or "-3" dollars to cents, exactly (no float math). */
function cents(text: string): number | undefined {
  const match = /^(-?)(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -value : value;
}

const adjustmentForm = $<HTMLFormElement>('#adjustment-form');
/** One reference per filled-in form: submitting it again (a double click, a retry) adds nothing twice. */
let adjustmentKey = crypto.randomUUID();
adjustmentForm.addEventListener('input', () => (adjustmentKey = crypto.randomUUID()));

adjustmentForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!openPartnerId || !adjustmentForm.reportValidity()) return;
  const partnerId = openPartnerId;
  void busy(adjustmentForm, () =>
    act(partnerPage, async () => {
      const values = formValues(adjustmentForm);
      const amount = cents(values.amount ?? '');
      if (!amount) throw new Error('The amount is dollars and cents, not 0, e.g. 25.00 or -12.50.');
      await admin(`/v1/admin/partners/${encodeURIComponent(partnerId)}/adjustments`, {
        body: {
          amount,
          reason: values.reason,
          idempotencyKey: adjustmentKey,
          ...(values.availableAt ? { availableAt: values.availableAt } : {}),
        },
      });
      adjustmentForm.reset();
      adjustmentKey = crypto.randomUUID();
      await Promise.all([openPartner(partnerId), loadReport()]);
      showStatus(partnerPage, `Adjustment of ${money(amount)} added.`, 'ok');
    }),
  );
});

if (token) void enter(token).catch(() => logOut());
