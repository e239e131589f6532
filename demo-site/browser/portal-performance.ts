// The portal's performance view: per banner, sub-ID, landing page or coupon over a chosen period,
// read from /v1/me/performance (ratios come computed from the collector), CSV from the same rows.
import { collector, download } from './api';
import { $, busy, el, errorText, fillTable, formValues, showStatus } from './dom';
import { count, isoDay, money, percent } from './format';

interface Row {
  key: string | null;
  clicks: number;
  uniqueClicks: number;
  signups: number;
  customers: number;
  revenue: number;
  commission: number;
  conversionBasisPoints: number | null;
  epc: number | null;
}

interface View {
  from: string;
  to: string;
  currency: string;
  by: string;
  rows: Row[];
  total: Omit<Row, 'key'>;
}

const keyHeading: Record<string, string> = {
  banner: 'Banner',
  data1: 'Sub-ID data1',
  data2: 'Sub-ID data2',
  page: 'Landing page',
  coupon: 'Coupon code',
};

const none: Record<string, string> = {
  banner: '(no banner)',
  data1: '(no data1)',
  data2: '(no data2)',
  page: '(none)',
  coupon: '(none)',
};

export function initPortalPerformance(token: string | null): { load(): Promise<void> } {
  const section = $('#performance');
  const form = $<HTMLFormElement>('#performance-form');
  const today = isoDay(new Date());
  $<HTMLInputElement>('[name="to"]', form).value = today;
  $<HTMLInputElement>('[name="from"]', form).value = isoDay(new Date(Date.parse(today) - 29 * 86_400_000));

  const query = () => {
    const values = formValues(form);
    return new URLSearchParams({ by: values.by ?? 'banner', from: values.from ?? '', to: values.to ?? '' });
  };

  const cells = (row: Omit<Row, 'key'>, currency: string) => [
    el('td', { className: 'num' }, count(row.clicks)),
    el('td', { className: 'num' }, count(row.uniqueClicks)),
    el('td', { className: 'num' }, count(row.signups)),
    el('td', { className: 'num' }, count(row.customers)),
    el('td', { className: 'num' }, percent(row.conversionBasisPoints)),
    el('td', { className: 'num' }, money(row.revenue, currency)),
    el('td', { className: 'num' }, money(row.commission, currency)),
    el('td', { className: 'num' }, row.epc === null ? '–' : money(row.epc, currency)),
  ];

  const load = async () => {
    const view = await collector<View>(`/v1/me/performance?${query()}`, { token });
    $('#performance-key').textContent = keyHeading[view.by] ?? view.by;
    $('#performance-period').textContent =
      `${keyHeading[view.by]} from ${view.from} to ${view.to} (UTC days, both included).`;
    const label = (key: string | null) =>
      key === null ? none[view.by]! : key === '~other' ? '(other values: more than 200 this month)' : key;
    fillTable(
      $<HTMLTableSectionElement>('#performance-table tbody'),
      view.rows.map((row) => {
        const tr = el('tr', {}, el('th', { scope: 'row' }, label(row.key)), ...cells(row, view.currency));
        tr.dataset.key = row.key ?? '';
        return tr;
      }),
      9,
      view.by === 'coupon'
        ? 'No coupon customers in this period.'
        : 'No clicks in this period: share your link or a banner.',
    );
    $<HTMLTableSectionElement>('#performance-table tfoot').replaceChildren(
      ...(view.rows.length > 1
        ? [el('tr', {}, el('th', { scope: 'row' }, 'Total'), ...cells(view.total, view.currency))]
        : []),
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void busy(form, async () => {
      try {
        showStatus(section, '');
        await load();
      } catch (error) {
        showStatus(section, errorText(error), 'error');
      }
    });
  });
  $('#performance-csv').addEventListener('click', () => {
    if (!token || !form.reportValidity()) return;
    const params = query();
    download(
      `/v1/me/performance.csv?${params}`,
      token,
      `ashop-performance-${params.get('by')}-${params.get('from')}-${params.get('to')}.csv`,
    ).catch((error: unknown) => showStatus(section, errorText(error), 'error'));
  });
  return { load };
}
