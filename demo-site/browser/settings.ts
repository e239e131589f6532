// The partner's settings page: profile and PayPal email, login email change (confirmed from the new
// address), password change (other sessions end; this one goes on with the new token) and email
// notification preferences. Reads /v1/me and /v1/me/settings.
import { ApiError, collector, session } from './api';
import { $, busy, errorText, formValues, showStatus } from './dom';

interface Me {
  partnerId: string;
  email: string;
  status: string;
}

interface Settings {
  email: string;
  name: string;
  payoutEmail: string | null;
  website: string | null;
  pendingEmail: { email: string; expiresAt: string } | null;
  notifications: Record<string, boolean>;
}

let token = session.get('partner');
if (!token) location.replace('/partners/login');

const root = $('#settings');
const call = <T>(path: string, options: { method?: string; body?: unknown } = {}) =>
  collector<T>(path, { ...options, token });

/** What a partner whose account is not active yet should know, and may do. */
const statusText: Record<string, string> = {
  pending:
    'Your email address is not confirmed yet: your link already works, and payouts start once you confirm. The link we sent expires after 48 hours.',
  pending_approval:
    'Your application is waiting for approval by the program team. We email you when it is decided; until then your link does not count yet.',
  frozen: 'Your account is under review: commissions keep accruing but are not paid until the review ends.',
};

function render(me: Me, settings: Settings): void {
  $('#account-line').textContent = `Partner ID ${me.partnerId} · ${me.status.replace('_', ' ')}`;
  $('#current-email').textContent = settings.email;
  const notice = statusText[me.status];
  $('#account-status').hidden = !notice;
  $('#account-status-text').textContent = notice ?? '';
  $('#resend-confirmation').hidden = me.status !== 'pending';

  const profile = $<HTMLFormElement>('#profile-form');
  $<HTMLInputElement>('[name="name"]', profile).value = settings.name;
  $<HTMLInputElement>('[name="payoutEmail"]', profile).value = settings.payoutEmail ?? '';
  $<HTMLInputElement>('[name="website"]', profile).value = settings.website ?? '';

  $('#pending-email').hidden = !settings.pendingEmail;
  if (settings.pendingEmail) {
    $('#pending-email-text').textContent =
      `Waiting for confirmation: ${settings.pendingEmail.email} (link valid until ${settings.pendingEmail.expiresAt.slice(0, 16).replace('T', ' ')} UTC).`;
  }
  for (const [kind, on] of Object.entries(settings.notifications)) {
    const box = document.querySelector<HTMLInputElement>(`#notify-form [name="${kind}"]`);
    if (box) box.checked = on;
  }
}

async function load(): Promise<void> {
  root.setAttribute('aria-busy', 'true');
  try {
    const [me, settings] = await Promise.all([call<Me>('/v1/me'), call<Settings>('/v1/me/settings')]);
    render(me, settings);
  } catch (error) {
    handle(root, error);
  } finally {
    root.setAttribute('aria-busy', 'false');
  }
}

function handle(scope: Element, error: unknown): void {
  if (error instanceof ApiError && error.problem.status === 401) {
    session.clear('partner');
    location.replace('/partners/login');
    return;
  }
  showStatus(scope, errorText(error), 'error');
}

function onSubmit(selector: string, work: (values: Record<string, string>, form: HTMLFormElement) => Promise<void>) {
  const form = $<HTMLFormElement>(selector);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void busy(form, async () => {
      try {
        await work(formValues(form), form);
      } catch (error) {
        handle(form, error);
      }
    });
  });
}

onSubmit('#profile-form', async (values, form) => {
  await call('/v1/me', {
    method: 'PATCH',
    body: { name: values.name, payoutEmail: values.payoutEmail || null, website: values.website || null },
  });
  showStatus(form, 'Profile saved.', 'ok');
});

onSubmit('#email-form', async (values, form) => {
  const answer = await call<{ pendingEmail: { email: string } }>('/v1/me/email-change', {
    body: { email: values.email, password: values.password },
  });
  form.reset();
  showStatus(form, `We sent a confirmation link to ${answer.pendingEmail.email}. Open it to finish the change.`, 'ok');
  await load();
});

$('#resend-email-change').addEventListener('click', () => {
  const form = $<HTMLFormElement>('#email-form');
  void busy(form, async () => {
    try {
      const answer = await call<{ pendingEmail: { email: string } }>('/v1/me/email-change/resend', { body: {} });
      showStatus(form, `A new link is on its way to ${answer.pendingEmail.email}; earlier links no longer work.`, 'ok');
      await load();
    } catch (error) {
      handle(form, error);
    }
  });
});

onSubmit('#password-form', async (values, form) => {
  const answer = await call<{ token: string }>('/v1/me/password', {
    body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
  });
  token = answer.token;
  session.set('partner', answer.token);
  form.reset();
  showStatus(form, 'Password changed. You are still logged in here; other devices are logged out.', 'ok');
});

onSubmit('#notify-form', async (_values, form) => {
  const body = Object.fromEntries(
    [...form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].map((box) => [box.name, box.checked]),
  );
  await call('/v1/me/notifications', { method: 'PATCH', body });
  showStatus(form, 'Notification settings saved.', 'ok');
});

$('#resend-confirmation').addEventListener('click', () => {
  const panel = $('#account-status');
  void busy(panel, async () => {
    try {
      await collector('/v1/partners/confirm/resend', { body: { email: $('#current-email').textContent } });
      showStatus(panel, 'A new confirmation link is on its way; the earlier one no longer works.', 'ok');
    } catch (error) {
      handle(panel, error);
    }
  });
});

if (token) void load();
