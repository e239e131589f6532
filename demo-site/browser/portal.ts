// The partner portal: stats for today / this month / all time, a 30-day chart, the partner link
// and link builder, banners, commissions, payouts and the CSV export. Everything is read from the
// collector's /v1/me* API with the partner's JWT; Refresh reloads it all.
import { ApiError, collector, download, session } from './api';
import { $, copyInput, el, errorText, fillTable, showStatus } from './dom';
import { count, isoDay, money, shortDate } from './format';
import { loadUplot } from './uplot-global';

interface Me {
  partnerId: string;
  name: string;
  email: string;
  status: string;
  commissionRate: string;
  link: string;
}

interface Totals {
  clicks: number;
  uniqueClicks: number;
  signups: number;
  customers: number;
  revenue: number;
  commission: { pending: number; payable: number; paid: number; reversed: number };
  balance: number;
}

interface Day {
  day: string;
  clicks: number;
  signups: number;
  commission: number;
}

interface Stats {
  currency?: string;
  totals: Totals;
  daily: Day[];
}

interface Commission {
  occurredAt: string;
  customerId: string | null;
  status: string;
  availableAt: string;
  amount: number;
}

interface Payout {
  payoutId: string;
  createdAt: string;
  status: string;
  amount: number;
}

interface Banner {
  bannerId: string;
  name: string;
  imageUrl: string;
  width: number;
  height: number;
  html: string;
}

const token = session.get('partner');
if (!token) location.replace('/partners/login');

const root = $('#portal');
const statsBody = $<HTMLTableSectionElement>('#stats tbody');
let currency = 'USD';

const me = (path: string) => collector<unknown>(path, { token });

function stats(from: string | undefined, to: string): Promise<Stats> {
  const query = new URLSearchParams({ to, ...(from ? { from } : {}) });
  return me(`/v1/me/stats?${query}`) as Promise<Stats>;
}

function renderStats(today: Totals, month: Totals, all: Totals): void {
  const rows: Array<[string, (totals: Totals) => string, string?]> = [
    ['Clicks', (t) => count(t.clicks)],
    ['Unique clicks', (t) => count(t.uniqueClicks)],
    ['Signups', (t) => count(t.signups)],
    ['Customers', (t) => count(t.customers)],
    ['Commissions pending', (t) => money(t.commission.pending, currency)],
    ['Commissions payable', (t) => money(t.commission.payable, currency)],
    ['Commissions paid', (t) => money(t.commission.paid, currency)],
    ['Balance', (t) => money(t.balance, currency), 'total'],
  ];
  statsBody.replaceChildren(
    ...rows.map(([label, value, className]) => {
      const row = el('tr', { className: className ?? '' }, el('th', { scope: 'row' }, label), ...[today, month, all].map((totals) => el('td', { className: 'num' }, value(totals))));
      row.dataset.metric = label;
      return row;
    }),
  );
}

async function renderChart(daily: Day[], from: Date): Promise<void> {
  const uPlot = await loadUplot();
  const byDay = new Map(daily.map((day) => [day.day, day]));
  const xs: number[] = [];
  const clicks: number[] = [];
  const signups: number[] = [];
  const commission: number[] = [];
  for (let i = 0; i < 30; i++) {
    const date = new Date(from.getTime() + i * 86_400_000);
    const day = byDay.get(isoDay(date));
    xs.push(date.getTime() / 1000);
    clicks.push(day?.clicks ?? 0);
    signups.push(day?.signups ?? 0);
    // Dollars for the axis only; every amount shown as text stays exact.
    commission.push((day?.commission ?? 0) / 100);
  }
  const chart = $('#chart');
  chart.replaceChildren();
  const width = Math.max(280, chart.clientWidth);
  new uPlot(
    {
      width,
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, n: { range: (_u, _min, max) => [0, Math.max(5, max)] }, usd: { range: (_u, _min, max) => [0, Math.max(10, max)] } },
      axes: [
        {},
        { scale: 'n', label: 'Clicks / signups' },
        { scale: 'usd', side: 1, label: 'Commission ($)', grid: { show: false } },
      ],
      series: [
        {},
        { label: 'Clicks', scale: 'n', stroke: '#3b4cca', width: 2, fill: 'rgba(59,76,202,0.08)' },
        { label: 'Signups', scale: 'n', stroke: '#1d7a46', width: 2 },
        { label: 'Commission ($)', scale: 'usd', stroke: '#b86e00', width: 2, value: (_u, v) => (v === null ? '–' : `$${v.toFixed(2)}`) },
      ],
    },
    [xs, clicks, signups, commission],
    chart,
  );
}

function renderLink(profile: Me): void {
  $('#whoami').textContent = `${profile.name} · partner ID ${profile.partnerId} · ${profile.status} · ${Number((Number(profile.commissionRate) * 100).toFixed(4))}% commission`;
  $<HTMLInputElement>('#partner-link').value = profile.link;
  const builder = $<HTMLFormElement>('#link-builder');
  const origin = new URL(profile.link).origin;
  const build = () => {
    const values = new FormData(builder);
    const params = [['a_aid', profile.partnerId], ['a_bid', values.get('bid')], ['data1', values.get('data1')], ['data2', values.get('data2')]]
      .filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1].trim() !== '')
      .map(([key, value]) => `${key}=${encodeURIComponent(value.trim())}`);
    $<HTMLInputElement>('#built-link').value = `${origin}${String(values.get('page'))}#${params.join('&')}`;
  };
  builder.oninput = build;
  build();
}

function renderBanners(banners: Banner[]): void {
  const box = $('#banners');
  if (!banners.length) return void box.replaceChildren(el('p', { className: 'muted' }, 'No banners yet.'));
  box.replaceChildren(
    ...banners.map((banner) => {
      const code = el('textarea', { readOnly: true, rows: 3, value: banner.html, ariaLabel: `HTML code for ${banner.name}` });
      const id = `banner-code-${banner.bannerId}`;
      code.id = id;
      const copy = el('button', { className: 'button ghost small', type: 'button' }, 'Copy HTML');
      copy.onclick = () => void copyInput(code as unknown as HTMLInputElement, copy);
      return el(
        'div',
        { className: 'banner-item' },
        el('strong', {}, `${banner.name} `),
        el('span', { className: 'muted' }, `${banner.width}×${banner.height} · a_bid=${banner.bannerId}`),
        el('img', { src: banner.imageUrl, alt: banner.name, width: banner.width, height: banner.height, loading: 'lazy' }),
        code,
        copy,
      );
    }),
  );
}

const badge = (status: string) => el('span', { className: `badge ${status}` }, status);

function renderCommissions(items: Commission[]): void {
  fillTable(
    $<HTMLTableSectionElement>('#commissions tbody'),
    items.map((item) =>
      el(
        'tr',
        {},
        el('td', {}, shortDate(item.occurredAt)),
        el('td', {}, item.customerId ?? '–'),
        el('td', {}, badge(item.status)),
        el('td', {}, shortDate(item.availableAt)),
        el('td', { className: 'num' }, money(item.amount, currency)),
      ),
    ),
    5,
    'No commissions yet: they appear when your customers pay their invoices.',
  );
}

function renderPayouts(items: Payout[]): void {
  fillTable(
    $<HTMLTableSectionElement>('#payouts tbody'),
    items.map((item) =>
      el(
        'tr',
        {},
        el('td', {}, shortDate(item.createdAt)),
        el('td', {}, item.payoutId),
        el('td', {}, badge(item.status)),
        el('td', { className: 'num' }, money(item.amount, currency)),
      ),
    ),
    4,
    'No payouts yet: we pay by PayPal once your payable balance reaches US$100.',
  );
}

async function load(): Promise<void> {
  root.setAttribute('aria-busy', 'true');
  const now = new Date();
  const today = isoDay(now);
  const monthStart = `${today.slice(0, 8)}01`;
  const chartFrom = new Date(Date.parse(today) - 29 * 86_400_000);
  try {
    const [profile, day, month, all, last30, commissions, payouts, banners] = await Promise.all([
      me('/v1/me') as Promise<Me>,
      stats(today, today),
      stats(monthStart, today),
      stats(undefined, today),
      stats(isoDay(chartFrom), today),
      me('/v1/me/commissions?limit=50') as Promise<{ items: Commission[] }>,
      me('/v1/me/payouts') as Promise<{ items: Payout[] }>,
      me('/v1/banners') as Promise<{ items: Banner[] }>,
    ]);
    currency = all.currency ?? currency;
    renderLink(profile);
    renderStats(day.totals, month.totals, all.totals);
    renderCommissions(commissions.items);
    renderPayouts(payouts.items);
    renderBanners(banners.items);
    $('#updated').textContent = `updated ${now.toISOString().slice(11, 19)} UTC`;
    showStatus(root, '');
    await renderChart(last30.daily, chartFrom);
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 401) {
      session.clear('partner');
      location.replace('/partners/login');
      return;
    }
    showStatus(root, errorText(error), 'error');
  } finally {
    root.setAttribute('aria-busy', 'false');
  }
}

$('#refresh').addEventListener('click', () => void load());
$('#logout').addEventListener('click', () => {
  session.clear('partner');
  location.assign('/partners/login');
});
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
  button.addEventListener('click', () => void copyInput($<HTMLInputElement>(`#${button.dataset.copy}`), button));
}
$('#download-csv').addEventListener('click', () => {
  if (token) download('/v1/me/report.csv', token, 'ashop-partner-report.csv').catch((error: unknown) => showStatus(root, errorText(error), 'error'));
});

if (token) void load();
