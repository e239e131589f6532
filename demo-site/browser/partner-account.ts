// Partner account pages: sign-up, email confirmation, password reset and login, each a form (or
// the token in the address) posted to the collector's partner API.
import { collector, session } from './api';
import { busy, errorText, formValues, showStatus } from './dom';

interface LoginAnswer {
  token: string;
  role: 'partner' | 'admin';
}

const token = new URLSearchParams(location.search).get('token');

function onSubmit(
  name: string,
  handle: (values: Record<string, string>, form: HTMLFormElement) => Promise<void>,
): void {
  const form = document.querySelector<HTMLFormElement>(`form[data-form="${name}"]`);
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void busy(form, async () => {
      try {
        await handle(formValues(form), form);
      } catch (error) {
        showStatus(form, errorText(error), 'error');
      }
    });
  });
}

onSubmit('signup', async (values, form) => {
  const body = {
    name: values.name,
    email: values.email,
    password: values.password,
    ...(values.payoutEmail ? { payoutEmail: values.payoutEmail } : {}),
    ...(values.website ? { website: values.website } : {}),
  };
  const answer = await collector<{ partnerId: string }>('/v1/partners', { body });
  form.reset();
  showStatus(
    form,
    `Almost there: we sent a confirmation link to ${body.email}. Your partner ID is ${answer.partnerId}.`,
    'ok',
  );
});

onSubmit('login', async (values, form) => {
  const answer = await collector<LoginAnswer>('/v1/auth/login', {
    body: { email: values.email, password: values.password },
  });
  if (answer.role !== 'partner') {
    showStatus(form, 'This is an operator account: use the operator console.', 'error');
    return;
  }
  session.set('partner', answer.token);
  location.assign('/partners/portal');
});

onSubmit('reset-request', async (values, form) => {
  await collector('/v1/auth/password-reset', { body: { email: values.email } });
  showStatus(form, 'If an account uses this email, a reset link is on its way.', 'ok');
});

onSubmit('reset-confirm', async (values, form) => {
  await collector('/v1/auth/password-reset/confirm', { body: { token, password: values.password } });
  form.reset();
  showStatus(form, 'Your password is changed. You can log in now.', 'ok');
});

const confirm = document.querySelector<HTMLElement>('[data-form="confirm"]');
if (confirm) {
  const heading = document.querySelector('h1');
  collector<{ status: string }>('/v1/partners/confirm', { body: { token: token ?? '' } }).then(
    (answer) => {
      if (heading) heading.textContent = 'Your email is confirmed';
      showStatus(
        confirm,
        answer.status === 'pending_approval'
          ? 'Your application now waits for approval by the program team: we email you when it is decided. You can log in meanwhile.'
          : 'Your partner account is active. Log in to get your partner link.',
        'ok',
      );
    },
    (error: unknown) => {
      if (heading) heading.textContent = 'This link did not work';
      showStatus(confirm, errorText(error), 'error');
    },
  );
}

// A reset link from the email: ask for the new password instead of the email.
if (token && document.querySelector('form[data-form="reset-confirm"]')) {
  document.querySelector<HTMLFormElement>('form[data-form="reset-request"]')?.setAttribute('hidden', '');
  document.querySelector<HTMLFormElement>('form[data-form="reset-confirm"]')?.removeAttribute('hidden');
}

const confirmEmail = document.querySelector<HTMLElement>('[data-form="confirm-email"]');
if (confirmEmail) {
  const heading = document.querySelector('h1');
  collector<{ email: string }>('/v1/partners/email-change/confirm', { body: { token: token ?? '' } }).then(
    (answer) => {
      if (heading) heading.textContent = 'Your new email is confirmed';
      showStatus(confirmEmail, `From now on you log in with ${answer.email}.`, 'ok');
    },
    (error: unknown) => {
      if (heading) heading.textContent = 'This link did not work';
      showStatus(confirmEmail, errorText(error), 'error');
    },
  );
}

/** What each notification kind is about, as the unsubscribe page names it. */
const notificationAbout: Record<string, string> = {
  newSignup: 'a store signs up through your link',
  firstInvoice: 'a customer you referred pays a first invoice',
  payoutSent: 'a payout is sent to you',
  statusChange: 'your account status changes',
};

onSubmit('unsubscribe', async (_values, form) => {
  const answer = await collector<{ unsubscribed: string }>(
    `/v1/partners/unsubscribe?token=${encodeURIComponent(token ?? '')}`,
    { method: 'POST' },
  );
  const heading = document.querySelector('h1');
  if (heading) heading.textContent = 'You are unsubscribed';
  form.querySelector('button')?.remove();
  showStatus(form, `Done: we no longer email you when ${notificationAbout[answer.unsubscribed]}.`, 'ok');
});

const unsubscribeForm = document.querySelector<HTMLFormElement>('form[data-form="unsubscribe"]');
if (unsubscribeForm) {
  const what = unsubscribeForm.querySelector('p:not(.status)')!;
  collector<{ kind: string; subscribed: boolean }>(
    `/v1/partners/unsubscribe?token=${encodeURIComponent(token ?? '')}`,
  ).then(
    (state) => {
      const about = notificationAbout[state.kind] ?? state.kind;
      what.textContent = state.subscribed
        ? `We email you when ${about}. Stop these emails?`
        : `Emails when ${about} are already off.`;
      const button = unsubscribeForm.querySelector('button')!;
      if (state.subscribed) button.disabled = false;
      else button.remove();
    },
    (error: unknown) => {
      const heading = document.querySelector('h1');
      if (heading) heading.textContent = 'This link did not work';
      what.textContent = '';
      unsubscribeForm.querySelector('button')?.remove();
      showStatus(unsubscribeForm, errorText(error), 'error');
    },
  );
}
