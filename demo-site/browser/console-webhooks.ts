// The console's Webhooks section: list, add, test, enable/disable, rotate, delete, delivery log.
import { $, busy, el, fillTable, showStatus } from './dom';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  consecutiveFailures: number;
  secret?: string;
}

interface Delivery {
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  createdAt: string;
}

type Admin = <T>(path: string, options?: { method?: string; body?: unknown }) => Promise<T>;
type Act = (scope: Element, work: () => Promise<void>) => Promise<void>;

/** Wires the section; returns its loader (called when the console opens). */
export function webhooksPanel(admin: Admin, act: Act): () => Promise<void> {
  const section = $('#webhooks');
  const secretLine = $('#webhook-secret');
  const path = (id: string, rest = '') => `/v1/admin/webhooks/${encodeURIComponent(id)}${rest}`;

  const showSecret = (secret: string | undefined) => {
    secretLine.hidden = !secret;
    $('code', secretLine).textContent = secret ?? '';
  };

  async function loadLog(endpoint: Endpoint): Promise<void> {
    const answer = await admin<{ items: Delivery[] }>(path(endpoint.id, '/deliveries?limit=50'));
    $('#webhook-log-title').textContent = `Delivery log of ${endpoint.url}`;
    fillTable(
      $<HTMLTableSectionElement>('#webhook-log tbody'),
      answer.items.map((delivery) =>
        el(
          'tr',
          {},
          el('td', {}, el('code', {}, delivery.eventId)),
          el('td', {}, delivery.type),
          el('td', {}, delivery.status),
          el('td', { className: 'num' }, String(delivery.attempts)),
          el('td', { className: 'num' }, delivery.lastStatusCode === null ? '–' : String(delivery.lastStatusCode)),
          el('td', {}, delivery.createdAt.replace('T', ' ').slice(0, 19)),
        ),
      ),
      6,
      'No deliveries yet.',
    );
  }

  function row(endpoint: Endpoint): HTMLTableRowElement {
    const button = (label: string, work: () => Promise<void>) => {
      const element = el('button', { className: 'button ghost small', type: 'button' }, label);
      element.onclick = () => act(section, work);
      return element;
    };
    const enabled = endpoint.status === 'enabled';
    return el(
      'tr',
      {},
      el('td', {}, el('code', {}, endpoint.url)),
      el('td', {}, endpoint.events.join(', ')),
      el('td', { title: endpoint.disabledReason ?? '' }, enabled ? 'enabled' : `disabled (${endpoint.disabledReason})`),
      el(
        'td',
        {},
        button('Log', () => loadLog(endpoint)),
        button('Send test', async () => {
          await admin(path(endpoint.id, '/test'), { body: {} });
          showStatus(section, 'Test event queued: it appears in the log within seconds.', 'ok');
          setTimeout(() => void act(section, () => loadLog(endpoint)), 2000);
        }),
        button(enabled ? 'Disable' : 'Enable', async () => {
          await admin(path(endpoint.id), { method: 'PATCH', body: { status: enabled ? 'disabled' : 'enabled' } });
          await load();
        }),
        button('Rotate secret', async () => {
          const rotated = await admin<Endpoint>(path(endpoint.id, '/rotate-secret'), { body: { graceHours: 24 } });
          showSecret(rotated.secret);
          showStatus(section, 'New secret; the old one also signs for 24 hours.', 'ok');
        }),
        button('Delete', async () => {
          await admin(path(endpoint.id), { method: 'DELETE' });
          await load();
        }),
      ),
    );
  }

  async function load(): Promise<void> {
    const answer = await admin<{ items: Endpoint[] }>('/v1/admin/webhooks');
    fillTable($<HTMLTableSectionElement>('#webhook-table tbody'), answer.items.map(row), 4, 'No endpoints yet.');
  }

  const form = $<HTMLFormElement>('#webhook-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, () =>
      act(section, async () => {
        const events = [...form.querySelectorAll<HTMLInputElement>('input[name=event]:checked')].map(
          (box) => box.value,
        );
        const url = (form.elements.namedItem('url') as HTMLInputElement).value.trim();
        const created = await admin<Endpoint>('/v1/admin/webhooks', { body: { url, events } });
        showSecret(created.secret);
        showStatus(section, `Endpoint ${created.id} added.`, 'ok');
        await load();
      }),
    );
  });
  return load;
}
