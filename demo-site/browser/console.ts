// The operator console: partners (status changes with a reason, rate override), the partner
// report, payout runs (preview, run, PayPal exports, completion), Ashop Commerce's monthly
// billing and banners. Admin JWT (or an admin API key) in sessionStorage.
import { ApiError, collector, download, session, site } from './api';
import { $, busy, el, errorText, fillTable, formValues, showStatus } from './dom';
import { count, isoDay, money } from './format';

interface PartnerRow {
  partnerId: string;
  name: string;
  email: string;
  status: 'pending' | 'active' | 'frozen' | 'disabled';
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
  payoutId?: string;
  items: Array<{ partnerId: string; amount: number; payoutEmail: string }>;
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
  width: number;
  height: number;
  targetPath: string;
}

const loginSection = $('#console-login');
const consoleSection = $('#console');
let token = session.get('admin');

const admin = <T>(path: string, options: { method?: string; body?: unknown } = {}) =>
  collector<T>(path, { ...options, token });

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
  await Promise.all([loadPartners(), loadReport(), loadBanners()]);
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

/** Asks for the (required) reason; resolves undefined when cancelled. */
function askReason(text: string): Promise<string | undefined> {
  const form = $<HTMLFormElement>('form', statusDialog);
  form.reset();
  $('#status-dialog-text').textContent = text;
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
        const reason = await askReason(`${label} partner ${partner.name} (${partner.partnerId}).`);
        if (!reason) return;
        await admin(`/v1/admin/partners/${encodeURIComponent(partner.partnerId)}/status`, { body: { status, reason } });
        showStatus(partnerSection, `${partner.partnerId} is now ${status}.`, 'ok');
        await loadPartners();
      });
    return button;
  });
  const row = el(
    'tr',
    {},
    el(
      'th',
      { scope: 'row' },
      el('span', {}, partner.name),
      el('br'),
      el('code', { className: 'muted' }, partner.partnerId),
    ),
    el('td', {}, partner.email),
    el('td', {}, el('span', { className: `badge ${partner.status}` }, partner.status)),
    el('td', {}, el('span', { className: 'actions' }, rate, saveRate, resetRate)),
    el('td', {}, el('span', { className: 'actions' }, ...buttons)),
  );
  row.dataset.partnerId = partner.partnerId;
  return row;
}

async function loadPartners(): Promise<void> {
  const filter = formValues($<HTMLFormElement>('#partner-filter'));
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value));
  const answer = await admin<{ items: PartnerRow[] }>(`/v1/admin/partners?${query}`);
  fillTable($<HTMLTableSectionElement>('#partner-table tbody'), answer.items.map(partnerRow), 5, 'No partners match.');
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

function reportQuery(): URLSearchParams {
  const range = Object.entries(formValues($<HTMLFormElement>('#report-range'))).filter(([, value]) => value);
  return new URLSearchParams([...range, ['sort', reportSort.key], ['order', reportSort.order]]);
}

/** The collector sorts (the CSV comes in the same order); headers are buttons that change the sort. */
async function loadReport(): Promise<void> {
  const answer = await admin<{ items: ReportRow[] }>(`/v1/admin/reports/partners?${reportQuery()}`);
  const table = $<HTMLTableElement>('#report-table');
  const header = (key: string, label: string) => {
    const button = el('button', { type: 'button' }, label);
    button.onclick = () => {
      reportSort = { key, order: reportSort.key === key && reportSort.order === 'desc' ? 'asc' : 'desc' };
      void act(reportSection, loadReport);
    };
    const th = el('th', { scope: 'col', className: key === 'name' ? '' : 'num' }, button);
    th.setAttribute(
      'aria-sort',
      reportSort.key === key ? (reportSort.order === 'desc' ? 'descending' : 'ascending') : 'none',
    );
    return th;
  };
  table.tHead!.replaceChildren(
    el('tr', {}, header('name', 'Partner'), ...reportColumns.map(([key, label]) => header(key, label))),
  );
  fillTable(
    table.tBodies[0]!,
    answer.items.map((row) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, `${row.name} (${row.partnerId})`),
        ...reportColumns.map(([, , cell]) => el('td', { className: 'num' }, cell(row))),
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
  const parts: Node[] = [
    el('h3', {}, batch ? `Batch ${batch}` : 'Preview (nothing is locked yet)'),
    el('p', {}, `${answer.items.length} payment(s), ${money(total)} in total.`),
    el('div', { className: 'scroll' }, paid),
    el('h3', {}, 'Withheld (carried forward)'),
    el('div', { className: 'scroll' }, withheld),
  ];
  if (batch) {
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
        showStatus(
          payoutSection,
          `Batch ${batch} completed${failed.length ? `; ${failed.length} failed item(s) back in their balances` : ''}.`,
          'ok',
        );
        complete.disabled = true;
        await loadReport();
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
      renderPayout(await admin<PayoutAnswer>('/v1/admin/payouts', { body: { asOf: asOfValue() } }));
      showStatus(payoutSection, 'Payout batch created: download the PayPal file, pay, then mark the batch paid.', 'ok');
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
        showStatus(billingSection, `Billed ${answer.month}: ${answer.invoices.length} invoice(s).`, 'ok');
        await loadReport();
      }),
    ),
);

// Banners -----------------------------------------------------------------------------------

const bannerSection = $('#banners');

async function loadBanners(): Promise<void> {
  const answer = await admin<{ items: BannerRow[] }>('/v1/admin/banners');
  fillTable(
    $<HTMLTableSectionElement>('#banner-table tbody'),
    answer.items.map((banner) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, banner.bannerId)),
        el('td', {}, banner.name),
        el('td', {}, `${banner.width}×${banner.height}`),
        el('td', {}, banner.targetPath),
      ),
    ),
    4,
    'No banners yet.',
  );
}

$<HTMLFormElement>('#banner-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  void busy(form, () =>
    act(bannerSection, async () => {
      const values = formValues(form);
      await admin('/v1/admin/banners', {
        body: {
          ...(values.bannerId ? { bannerId: values.bannerId } : {}),
          name: values.name,
          imageUrl: values.imageUrl,
          width: Number(values.width),
          height: Number(values.height),
          targetPath: values.targetPath || '/',
          altText: values.altText,
        },
      });
      showStatus(bannerSection, `Banner "${values.name}" created.`, 'ok');
      await loadBanners();
    }),
  );
});

if (token) void enter(token).catch(() => logOut());
