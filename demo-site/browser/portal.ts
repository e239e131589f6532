// The partner portal: stats for today / this month / all time, a 30-day chart, the partner link
// and link builder, banners, commissions, payouts and the CSV export. Everything is read from the
// collector's /v1/me* API with the partner's JWT; Refresh reloads it all.
import { ID } from '../../sdk/link';
import { ApiError, collector, download, session } from './api';
import { $, copyInput, el, errorText, fillTable, showStatus } from './dom';
import { count, isoDay, money, shortDate } from './format';
import type uPlot from 'uplot';
import { loadUplot } from './uplot-global';
import { initPortalCoupons } from './portal-coupons';

interface Me {
  partnerId: string;
  name: string;
  payoutEmail: string | null;
  status: string;
  commissionRate: string;
  link: string;
  createdAt: string;
}

interface Counters {
  clicks: number;
  uniqueClicks: number;
  signups: number;
  customers: number;
}

interface Stats {
  currency: string;
  totals: Counters & { balance: number; commission: Record<Status, number> };
  daily: Array<Counters & { day: string; commission: number }>;
}

type Status = 'pending' | 'payable' | 'paid' | 'reversed';

interface Commission {
  kind: 'commission' | 'clawback' | 'adjustment';
  /** An adjustment's reason. */
  memo: string | null;
  customerId: string | null;
  occurredAt: string;
  availableAt: string;
  amount: number;
  /** After reversals. */
  net: number;
  status: Status;
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

/** One column of the stats table. */
interface Period {
  counters: Counters;
  commission: Record<Exclude<Status, 'reversed'>, number>;
}

interface Program {
  minPayout: number;
  holdDays: number;
}

const token = session.get('partner');
if (!token) location.replace('/partners/login');

const root = $('#portal');
const statsBody = $<HTMLTableSectionElement>('#stats tbody');
let currency = 'USD';

const me = (path: string) => collector<unknown>(path, { token });

function stats(from: string, to: string): Promise<Stats> {
  return me(`/v1/me/stats?${new URLSearchParams({ from, to })}`) as Promise<Stats>;
}

const dayMs = 86_400_000;
const counterNames = ['clicks', 'uniqueClicks', 'signups', 'customers'] as const;

/** All time: the stats API spans at most 366 days per call, so add up yearly windows since sign-up. */
async function allTimeCounters(since: string, today: string): Promise<Stats[]> {
  const windows: Array<Promise<Stats>> = [];
  for (let start = Date.parse(since); start <= Date.parse(today); start += 366 * dayMs) {
    windows.push(stats(isoDay(new Date(start)), isoDay(new Date(Math.min(start + 365 * dayMs, Date.parse(today))))));
  }
  return Promise.all(windows);
}

function sumCounters(list: Counters[]): Counters {
  const sum: Counters = { clicks: 0, uniqueClicks: 0, signups: 0, customers: 0 };
  for (const item of list) for (const name of counterNames) sum[name] += item[name];
  return sum;
}

/** Every ledger line of the partner (the API pages by 200, following `nextCursor`). */
async function allCommissions(): Promise<Commission[]> {
  const lines: Commission[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const answer = (await me(`/v1/me/commissions?limit=200${query}`)) as {
      items: Commission[];
      nextCursor: string | null;
    };
    lines.push(...answer.items);
    cursor = answer.nextCursor;
  } while (cursor);
  return lines;
}

/** Commissions of the invoices dated in [from, to], by status, after reversals. */
function commissionBy(lines: Commission[], from: string, to: string): Period['commission'] {
  const sum = { pending: 0, payable: 0, paid: 0 };
  for (const line of lines) {
    const day = line.occurredAt.slice(0, 10);
    if (day >= from && day <= to && line.status !== 'reversed') sum[line.status] += line.net;
  }
  return sum;
}

function renderStats(periods: Period[]): void {
  const rows: Array<[string, (period: Period) => string, string?]> = [
    ['Clicks', (p) => count(p.counters.clicks)],
    ['Unique clicks', (p) => count(p.counters.uniqueClicks)],
    ['Signups', (p) => count(p.counters.signups)],
    // The collector counts a customer at its first invoice; a signup is a store bound to the partner.
    ['Paying customers', (p) => count(p.counters.customers)],
    ['Commissions pending', (p) => money(p.commission.pending, currency)],
    ['Commissions payable', (p) => money(p.commission.payable, currency)],
    ['Commissions paid', (p) => money(p.commission.paid, currency)],
  ];
  statsBody.replaceChildren(
    ...rows.map(([label, value, className]) => {
      const row = el(
        'tr',
        { className: className ?? '' },
        el('th', { scope: 'row' }, label),
        ...periods.map((period) => el('td', { className: 'num' }, value(period))),
      );
      row.dataset.metric = label;
      return row;
    }),
  );
}

/** Pending, payable and paid now, and what happens to each (the payout rules of the program). */
function renderBalance(totals: Stats['totals'], lines: Commission[], profile: Me, program: Program): void {
  const { pending, payable, paid } = totals.commission;
  $('#balance-pending').textContent = money(pending, currency);
  $('#balance-payable').textContent = money(payable, currency);
  $('#balance-paid').textContent = money(paid, currency);
  const minimum = money(program.minPayout, currency);
  const sentences: string[] = [];
  const nextRelease = lines
    .filter((line) => line.status === 'pending')
    .map((line) => line.availableAt)
    .sort()[0];
  if (pending > 0 && nextRelease)
    sentences.push(
      `Each commission is held ${program.holdDays} days after its invoice (refunds can still cancel it), then it becomes payable: the next one on ${shortDate(nextRelease)}.`,
    );
  if (profile.status === 'frozen') sentences.push('Payouts are on hold while your account is under review.');
  else if (profile.status === 'pending') sentences.push('Payouts start once you confirm your email address.');
  else if (profile.status === 'pending_approval') sentences.push('Payouts start once your account is approved.');
  else if (!profile.payoutEmail) sentences.push('Add your PayPal email in Settings: without it we cannot pay you.');
  else if (payable >= program.minPayout)
    sentences.push(`${money(payable, currency)} is paid to you in the next payout run.`);
  else if (payable > 0)
    sentences.push(
      `Your payable ${money(payable, currency)} is below the ${minimum} payout minimum: it carries over until it reaches ${minimum}.`,
    );
  else if (pending === 0) sentences.push(`We pay by PayPal once your payable balance reaches ${minimum}.`);
  $('#balance-explained').textContent = sentences.join(' ');
}

let plot: uPlot | undefined;
window.addEventListener('resize', () => plot?.setSize({ width: Math.max(280, $('#chart').clientWidth), height: 260 }));

async function renderChart(daily: Stats['daily']): Promise<void> {
  const uPlot = await loadUplot();
  const xs = daily.map((day) => Date.parse(day.day) / 1000);
  const clicks = daily.map((day) => day.clicks);
  const signups = daily.map((day) => day.signups);
  // Dollars for the axis only; every amount shown as text stays exact.
  const commission = daily.map((day) => day.commission / 100);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const chart = $('#chart');
  chart.replaceChildren();
  plot?.destroy();
  plot = new uPlot(
    {
      width: Math.max(280, chart.clientWidth),
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true },
        n: { range: (_u, _min, max) => [0, Math.max(5, max)] },
        usd: { range: (_u, _min, max) => [0, Math.max(10, max)] },
      },
      axes: [
        {},
        { scale: 'n', label: 'Clicks / signups' },
        { scale: 'usd', side: 1, label: 'Commission ($)', grid: { show: false } },
      ],
      series: [
        // Without the cursor on a day, the legend shows the 30-day totals (not uPlot's "--"). Dashes
        // and points keep a series visible where it runs on top of another.
        {
          label: 'Day',
          value: (_u, v, _s, idx) => (idx === null ? 'last 30 days' : new Date(v * 1000).toISOString().slice(0, 10)),
        },
        {
          label: 'Clicks',
          scale: 'n',
          stroke: '#3b4cca',
          width: 3,
          fill: 'rgba(59,76,202,0.08)',
          value: (_u, v, _s, idx) => count(idx === null ? sum(clicks) : v),
        },
        {
          label: 'Signups',
          scale: 'n',
          stroke: '#1d7a46',
          width: 2,
          dash: [8, 5],
          points: { show: true, size: 6 },
          value: (_u, v, _s, idx) => count(idx === null ? sum(signups) : v),
        },
        {
          label: 'Commission',
          scale: 'usd',
          stroke: '#b86e00',
          width: 2,
          dash: [2, 4],
          points: { show: true, size: 5 },
          value: (_u, _v, _s, idx) =>
            money(
              idx === null ? daily.reduce((total, day) => total + day.commission, 0) : daily[idx]!.commission,
              currency,
            ),
        },
      ],
    },
    [xs, clicks, signups, commission],
    chart,
  );
}

function renderLink(profile: Me): void {
  $('#whoami').textContent =
    `${profile.name} · partner ID ${profile.partnerId} · ${profile.status} · ${Number((Number(profile.commissionRate) * 100).toFixed(4))}% commission`;
  $<HTMLInputElement>('#partner-link').value = profile.link;
  const builder = $<HTMLFormElement>('#link-builder');
  const origin = new URL(profile.link).origin;
  const build = () => {
    const values = new FormData(builder);
    // The SDK's own rules: a value it would drop must not go silently into a link.
    const problems: string[] = [];
    const bid = $<HTMLInputElement>('[name="bid"]', builder);
    const bidText = String(values.get('bid') ?? '').trim();
    bid.setCustomValidity(bidText && !ID.test(bidText) ? 'invalid' : '');
    if (bid.validationMessage)
      problems.push('The campaign may only use letters, digits, _ and - (up to 64): the tracker would ignore it.');
    for (const name of ['data1', 'data2']) {
      const input = $<HTMLInputElement>(`[name="${name}"]`, builder);
      const tooLong = String(values.get(name) ?? '').trim().length > 128;
      input.setCustomValidity(tooLong ? 'invalid' : '');
      if (tooLong) problems.push(`Sub-ID ${name} is longer than 128 characters: the tracker would ignore it.`);
    }
    for (const input of builder.querySelectorAll('input')) input.ariaInvalid = String(!input.validity.valid);
    showStatus(builder, problems.join(' '), problems.length ? 'error' : 'info');
    if (problems.length) {
      $<HTMLInputElement>('#built-link').value = '';
      return;
    }
    const params = [
      ['a_aid', profile.partnerId],
      ['a_bid', values.get('bid')],
      ['data1', values.get('data1')],
      ['data2', values.get('data2')],
    ]
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
      const code = el('textarea', {
        readOnly: true,
        rows: 3,
        value: banner.html,
        ariaLabel: `HTML code for ${banner.name}`,
      });
      const copy = el('button', { className: 'button ghost small', type: 'button' }, 'Copy HTML');
      copy.onclick = () => void copyInput(code, copy);
      return el(
        'div',
        { className: 'banner-item' },
        el('strong', {}, `${banner.name} `),
        el('span', { className: 'muted' }, `${banner.width}×${banner.height} · a_bid=${banner.bannerId}`),
        el('img', {
          src: banner.imageUrl,
          alt: banner.name,
          width: banner.width,
          height: banner.height,
          loading: 'lazy',
        }),
        code,
        copy,
      );
    }),
  );
}

const badge = (status: string) => el('span', { className: `badge ${status}` }, status);

function describeLine(line: Commission): string {
  if (line.kind === 'adjustment') return `${line.net < 0 ? 'Correction' : 'Bonus'}: ${line.memo ?? ''}`;
  if (line.kind === 'clawback') return `Refund after payout, customer ${line.customerId ?? '–'}`;
  return `Invoice of customer ${line.customerId ?? '–'}`;
}

function renderCommissions(items: Commission[]): void {
  fillTable(
    $<HTMLTableSectionElement>('#commissions tbody'),
    items.map((item) =>
      el(
        'tr',
        {},
        el('td', {}, shortDate(item.occurredAt)),
        el('td', {}, describeLine(item)),
        el('td', {}, badge(item.status)),
        el('td', {}, shortDate(item.availableAt)),
        el('td', { className: 'num' }, money(item.net, currency)),
      ),
    ),
    5,
    'No commissions yet: they appear when the stores you referred pay their invoices.',
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
    'No payouts yet: we pay by PayPal once your payable balance reaches the payout minimum.',
  );
}

/** What a partner should know about their account's status (docs/CONTRACTS.md §5). */
const statusNotice: Record<string, string> = {
  pending:
    'Confirm your email address (see the link we sent you; Settings can send a new one): your link already works, payouts start once you confirm.',
  pending_approval:
    'Your application is waiting for approval by the program team: we email you when it is decided. Until then your link does not count yet.',
  frozen:
    'Your account is under review: your commissions keep accruing but are not paid out until the review ends, and new clicks do not count.',
};

const coupons = initPortalCoupons(token);

async function load(): Promise<void> {
  root.setAttribute('aria-busy', 'true');
  const now = new Date();
  const today = isoDay(now);
  const monthStart = `${today.slice(0, 8)}01`;
  try {
    const profile = (await me('/v1/me')) as Me;
    const [day, month, allTime, last30, lines, payouts, banners, settings] = await Promise.all([
      stats(today, today),
      stats(monthStart, today),
      allTimeCounters(profile.createdAt.slice(0, 10), today),
      stats(isoDay(new Date(Date.parse(today) - 29 * dayMs)), today),
      allCommissions(),
      me('/v1/me/payouts') as Promise<{ items: Payout[] }>,
      me('/v1/banners') as Promise<{ items: Banner[] }>,
      me('/v1/me/settings') as Promise<{ program: Program }>,
    ]);
    currency = day.currency;
    renderLink(profile);
    renderStats([
      { counters: day.totals, commission: commissionBy(lines, today, today) },
      { counters: month.totals, commission: commissionBy(lines, monthStart, today) },
      {
        counters: sumCounters(allTime.map((window) => window.totals)),
        commission: commissionBy(lines, '0000', '9999'),
      },
    ]);
    renderBalance(day.totals, lines, profile, settings.program);
    renderCommissions(lines);
    renderPayouts(payouts.items);
    renderBanners(banners.items);
    $('#updated').textContent = `updated ${now.toISOString().slice(11, 19)} UTC`;
    showStatus(root, statusNotice[profile.status] ?? '');
    await renderChart(last30.daily);
    await coupons.load();
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
  if (token)
    download('/v1/me/report.csv', token, 'ashop-partner-report.csv').catch((error: unknown) =>
      showStatus(root, errorText(error), 'error'),
    );
});

if (token) void load();
