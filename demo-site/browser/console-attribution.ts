// The console's coupon codes (create, approve or reject requests, deactivate) and attribution
// health (signups by source and reasons not attributed, for a period).
import { $, busy, el, fillTable, formValues, showStatus } from './dom';
import { count, isoDay } from './format';

interface Coupon {
  code: string;
  partnerId: string;
  status: string;
  discount: string | null;
  endsAt: string | null;
  signups: number;
  customers: number;
}

interface Health {
  from: string;
  to: string;
  signups: number;
  attributed: { count: number; share: number };
  bySource: Array<{ source: string; method: string; count: number; share: number }>;
  byReason: Array<{ reason: string; count: number; share: number }>;
}

type Admin = <T>(path: string, options?: { method?: string; body?: unknown }) => Promise<T>;
type Act = (scope: Element, work: () => Promise<void>) => Promise<void>;
/** The console's cursor-paged table with its "Show more" button (console.ts). */
type Paged = <T>(
  scope: Element,
  table: string,
  path: string,
  row: (item: T) => HTMLTableRowElement,
  columns: number,
  empty: string,
) => Promise<void>;

const sourceNames: Record<string, string> = {
  sdk: 'SDK cookie',
  restored: 'Storage copy restored',
  server: "Collector's own cookie",
  redirect: 'Redirect link',
  coupon: 'Coupon code',
  history: 'Visitor history',
};

export function initConsoleAttribution(admin: Admin, act: Act, paged: Paged): { load(): Promise<void> } {
  const couponSection = $('#coupons');
  const healthSection = $('#attribution');
  const healthForm = $<HTMLFormElement>('#attribution-form');

  const button = (label: string, run: () => Promise<unknown>, message: string) =>
    el('button', {
      className: 'button ghost small',
      type: 'button',
      textContent: label,
      onclick: () =>
        void act(couponSection, async () => {
          await run();
          showStatus(couponSection, message, 'ok');
          await loadCoupons();
        }),
    });

  const loadCoupons = () =>
    paged<Coupon>(
      couponSection,
      '#coupon-table',
      '/v1/admin/coupons',
      (coupon) => {
        const path = `/v1/admin/coupons/${encodeURIComponent(coupon.code)}`;
        const actions =
          coupon.status === 'pending'
            ? [
                button('Approve', () => admin(`${path}/approve`, { body: {} }), `${coupon.code} approved.`),
                button('Reject', () => admin(`${path}/reject`, { body: {} }), `${coupon.code} rejected.`),
              ]
            : coupon.status === 'active'
              ? [button('Deactivate', () => admin(`${path}/deactivate`, { body: {} }), `${coupon.code} deactivated.`)]
              : [];
        return el(
          'tr',
          {},
          el('td', {}, el('code', {}, coupon.code)),
          el('td', {}, coupon.partnerId),
          el('td', {}, el('span', { className: `badge ${coupon.status}` }, coupon.status)),
          el('td', {}, coupon.discount ?? '–'),
          el('td', {}, coupon.endsAt ? coupon.endsAt.slice(0, 10) : '–'),
          el('td', { className: 'num' }, count(coupon.signups)),
          el('td', { className: 'num' }, count(coupon.customers)),
          el('td', {}, ...actions),
        );
      },
      8,
      'No coupon codes yet.',
    );

  async function loadHealth(): Promise<void> {
    const values = formValues(healthForm);
    const query = new URLSearchParams();
    if (values.from) query.set('from', values.from);
    if (values.to) query.set('to', values.to);
    const report = await admin<Health>(`/v1/admin/reports/attribution?${query}`);
    $('#attribution-summary').textContent =
      `${report.from} to ${report.to}: ${count(report.signups)} signups, ${report.attributed.share}% attributed.`;
    const percent = (share: number) => `${share.toFixed(2)}%`;
    fillTable(
      $<HTMLTableSectionElement>('#attribution-table tbody'),
      [
        ...report.bySource.map((row) =>
          el(
            'tr',
            {},
            el('td', {}, sourceNames[row.source] ?? row.source),
            el('td', {}, row.method),
            el('td', { className: 'num' }, count(row.count)),
            el('td', { className: 'num' }, percent(row.share)),
          ),
        ),
        ...report.byReason.map((row) =>
          el(
            'tr',
            {},
            el('td', {}, `Not attributed: ${row.reason}`),
            el('td', {}, '–'),
            el('td', { className: 'num' }, count(row.count)),
            el('td', { className: 'num' }, percent(row.share)),
          ),
        ),
      ],
      4,
      'No signups in this period.',
    );
  }

  const couponForm = $<HTMLFormElement>('#coupon-form');
  couponForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(couponForm, () =>
      act(couponSection, async () => {
        const values = formValues(couponForm);
        await admin('/v1/admin/coupons', {
          body: {
            code: values.code,
            partnerId: values.partnerId,
            ...(values.discount ? { discount: values.discount } : {}),
            ...(values.endsAt ? { endsAt: `${values.endsAt}T23:59:59Z` } : {}),
          },
        });
        couponForm.reset();
        showStatus(couponSection, `Code ${values.code} created.`, 'ok');
        await loadCoupons();
      }),
    );
  });
  healthForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(healthSection, loadHealth);
  });
  $<HTMLInputElement>('input[name=to]', healthForm).value = isoDay(new Date());

  return { load: async () => void (await Promise.all([loadCoupons(), loadHealth()])) };
}
