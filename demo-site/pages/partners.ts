// The partner program: landing page with FAQ, account pages (sign-up, confirmation, password
// reset, login) and the partner portal. Forms and the portal are driven by browser scripts that
// call the collector through the site's /ashop/ proxy.
import { portalCouponSection } from './attribution';
import { portalCustomersSection, portalPerformanceSection } from './portal-sections';
import { html, type Html } from './html';
import { page } from './layout';

const partners = (path: string, title: string, body: Html, scripts: string[] = []) =>
  page({ title, section: 'partners', path, body, scripts });

const faq: Array<[string, string]> = [
  [
    'How does tracking work?',
    'You share your partner link (or a deep link to any page, or a banner). When a visitor opens it, our site remembers you in a first-party cookie and records the click; it shows up in your dashboard right away.',
  ],
  [
    'How long does the cookie last?',
    "60 days. If the visitor creates a store within 60 days of clicking your link, the store is yours. The first partner who referred a visitor keeps them: a later click on another partner's link does not take the visitor away.",
  ],
  [
    'How much do I earn?',
    '25% of every plan and app invoice the store pays, every month, for the lifetime of the store. One-off services such as store design do not earn commission.',
  ],
  [
    'When do commissions become payable?',
    'Each commission is held for 120 days after the invoice (refunds and chargebacks within that time cancel it), then it becomes payable.',
  ],
  [
    'How and when am I paid?',
    'By PayPal, in our regular payout runs, once your payable balance reaches US$100. Smaller balances carry over to the next run. Add your PayPal email when you sign up.',
  ],
  [
    'What is not allowed?',
    'Referring yourself, paid search on our brand name and misleading ads. Accounts under review are frozen: commissions keep accruing but are not paid until the review ends.',
  ],
];

export function programPage(): string {
  return partners(
    '/partners/',
    'Ashop Partner Program: 25% lifetime commissions',
    html`<section class="hero partners-hero">
  <div class="wrap">
    <h1>Earn 25% of every invoice, for life.</h1>
    <p class="lead">Recommend Ashop Commerce to the stores you build, advise or inspire. Every plan and app invoice they pay earns you 25%, month after month.</p>
    <p><a class="button" href="/partners/signup">Become a partner, free</a> <a class="button ghost" href="/partners/login">Partner login</a></p>
  </div>
</section>
<section class="wrap grid four facts" aria-label="Program at a glance">
  <div class="fact"><strong>25%</strong><span>lifetime revenue share</span></div>
  <div class="fact"><strong>60 days</strong><span>referral cookie</span></div>
  <div class="fact"><strong>120 days</strong><span>hold before payout</span></div>
  <div class="fact"><strong>US$100</strong><span>minimum, paid by PayPal</span></div>
</section>
<section class="wrap faq-list">
  <h2>Frequently asked questions</h2>
  ${faq.map(([question, answer]) => html`<details class="faq"><summary>${question}</summary><p>${answer}</p></details>`)}
</section>`,
  );
}

const status = html`<p class="status" role="status" aria-live="polite"></p>`;

export function partnerSignupPage(): string {
  return partners(
    '/partners/signup',
    'Join the partner program · Ashop Partners',
    html`<section class="wrap narrow">
  <h1>Become a partner</h1>
  <p class="lead">Free. We email you a link to confirm your address.</p>
  <form class="form" data-form="signup" novalidate>
    <label>Name <input name="name" required maxlength="100" autocomplete="name"></label>
    <label>Email <input name="email" type="email" required maxlength="254" autocomplete="email"></label>
    <label>Password <input name="password" type="password" required minlength="8" autocomplete="new-password"><span class="hint">At least 8 characters.</span></label>
    <label>PayPal email <span class="muted">(for payouts, optional now)</span> <input name="payoutEmail" type="email" maxlength="254"></label>
    <label>Website <span class="muted">(optional)</span> <input name="website" type="url" maxlength="200" placeholder="https://"></label>
    <button class="button" type="submit">Create partner account</button>
    ${status}
  </form>
  <p>Already a partner? <a href="/partners/login">Log in</a>.</p>
</section>`,
    ['partner-account'],
  );
}

export function confirmPage(): string {
  return partners(
    '/partners/confirm',
    'Confirm your email · Ashop Partners',
    html`<section class="wrap narrow">
  <h1>Confirming your email…</h1>
  <div data-form="confirm">${status}</div>
  <p><a class="button" href="/partners/login">Log in</a></p>
</section>`,
    ['partner-account'],
  );
}

export function resetPage(): string {
  return partners(
    '/partners/reset',
    'Reset your password · Ashop Partners',
    html`<section class="wrap narrow">
  <h1>Reset your password</h1>
  <form class="form" data-form="reset-request" novalidate>
    <p>Enter your email: we send you a link to choose a new password.</p>
    <label>Email <input name="email" type="email" required autocomplete="email"></label>
    <button class="button" type="submit">Email me a reset link</button>
    ${status}
  </form>
  <form class="form" data-form="reset-confirm" hidden novalidate>
    <label>New password <input name="password" type="password" required minlength="8" autocomplete="new-password"></label>
    <button class="button" type="submit">Set new password</button>
    ${status}
  </form>
</section>`,
    ['partner-account'],
  );
}

export function loginPage(): string {
  return partners(
    '/partners/login',
    'Partner login · Ashop Partners',
    html`<section class="wrap narrow">
  <h1>Partner login</h1>
  <form class="form" data-form="login" novalidate>
    <label>Email <input name="email" type="email" required autocomplete="username"></label>
    <label>Password <input name="password" type="password" required autocomplete="current-password"></label>
    <button class="button" type="submit">Log in</button>
    ${status}
  </form>
  <p><a href="/partners/reset">Forgot your password?</a> · New here? <a href="/partners/signup">Join the program</a>.</p>
</section>`,
    ['partner-account'],
  );
}

export function portalPage(): string {
  return page({
    title: 'Dashboard · Ashop Partners',
    section: 'portal',
    path: '/partners/portal',
    scripts: ['portal'],
    styles: ['/vendor/uPlot.min.css'],
    body: html`<section class="wrap" id="portal" aria-busy="true">
  <div class="titlebar">
    <div><h1>Dashboard</h1><p class="muted" id="whoami"></p></div>
    <div class="actions">
      <button class="button ghost" type="button" id="refresh">Refresh</button>
      <button class="button ghost" type="button" id="logout">Log out</button>
    </div>
  </div>
  <p class="status" role="status" aria-live="polite"></p>

  <section aria-labelledby="stats-title" class="panel">
    <h2 id="stats-title">Your numbers <span class="muted small" id="updated"></span></h2>
    <div class="scroll">
      <table class="data" id="stats">
        <thead><tr><th scope="col"><span class="visually-hidden">Figure</span></th><th scope="col" class="num">Today</th><th scope="col" class="num">This month</th><th scope="col" class="num">All time</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p class="muted small">A <strong>signup</strong> is a store created through your link: that customer is bound to you for life. It becomes a <strong>paying customer</strong> with its first invoice, which earns your first commission. <strong>Commission earned</strong> counts by invoice date, after refunds folded in; what is pending, payable and paid now is under <a href="#balance-title">Your balance now</a>.</p>
  </section>

  <section aria-labelledby="balance-title" class="panel" id="balance">
    <h2 id="balance-title">Your balance now</h2>
    <dl class="figures">
      <div><dt>Pending</dt><dd id="balance-pending">–</dd><dd class="muted small">in the hold after each invoice</dd></div>
      <div><dt>Payable</dt><dd id="balance-payable">–</dd><dd class="muted small">past the hold, not paid yet</dd></div>
      <div><dt>Paid</dt><dd id="balance-paid">–</dd><dd class="muted small">sent to you by PayPal</dd></div>
    </dl>
    <p id="balance-explained"></p>
    <h3 id="releases-title">Release calendar</h3>
    <p class="muted small">When your pending commissions become payable, by month (refunds before then can still reduce them).</p>
    <div class="scroll"><table class="data" id="releases" aria-labelledby="releases-title">
      <thead><tr><th scope="col">Month</th><th scope="col" class="num">Becomes payable</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>

  <section aria-labelledby="chart-title" class="panel">
    <h2 id="chart-title">Last 30 days</h2>
    <div id="chart" role="img" aria-label="Clicks, signups and commissions per day over the last 30 days"></div>
  </section>

  ${portalPerformanceSection}

  <div class="grid two">
    <section aria-labelledby="link-title" class="panel">
      <h2 id="link-title">Your partner link</h2>
      <div class="copyrow"><input id="partner-link" readonly aria-label="Partner link"><button class="button" type="button" data-copy="partner-link">Copy</button></div>
      <h3>Link builder</h3>
      <form id="link-builder" class="form compact">
        <label>Page <select name="page"><option value="/">Home</option><option value="/pricing">Pricing</option><option value="/features">Features</option><option value="/signup">Store signup</option></select></label>
        <label>Campaign (a_bid) <input name="bid" maxlength="64" aria-describedby="builder-hint"></label>
        <label>Sub-ID data1 <input name="data1" maxlength="128" aria-describedby="builder-hint"></label>
        <label>Sub-ID data2 <input name="data2" maxlength="128" aria-describedby="builder-hint"></label>
        <p class="hint" id="builder-hint">Campaign: up to 64 letters, digits, _ or -. Sub-IDs: up to 128 characters.</p>
        <p class="status" role="status" aria-live="polite"></p>
      </form>
      <div class="copyrow"><input id="built-link" readonly aria-label="Built link"><button class="button" type="button" data-copy="built-link">Copy</button></div>
    </section>
    <section aria-labelledby="banners-title" class="panel">
      <h2 id="banners-title">Banners</h2>
      <div id="banners"><p class="muted">No banners yet.</p></div>
    </section>
  </div>

  <section aria-labelledby="commissions-title" class="panel">
    <div class="titlebar"><h2 id="commissions-title">Commissions</h2><button class="button ghost" type="button" id="download-csv">Download CSV</button></div>
    <p class="muted small">Each line shows how it was computed: the invoice's commissionable <strong>base</strong> × the <strong>rate</strong> = the amount; refunds before payout are folded in (<strong>refunded</strong>), leaving the <strong>net</strong>. <strong>Bound by</strong> is the click (its date and banner) or the coupon code that made the customer yours.</p>
    <div class="scroll"><table class="data dense" id="commissions">
      <thead><tr><th scope="col">Date</th><th scope="col">For</th><th scope="col">Bound by</th><th scope="col">Status, payable from</th><th scope="col" class="num">Base</th><th scope="col" class="num">Rate</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Refunded</th><th scope="col" class="num">Net</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <p><button class="button ghost" type="button" id="commissions-more" hidden>More</button></p>
  </section>

  ${portalCustomersSection}

  <section aria-labelledby="payouts-title" class="panel">
    <h2 id="payouts-title">Payouts</h2>
    <div class="scroll"><table class="data" id="payouts">
      <thead><tr><th scope="col">Date</th><th scope="col">Batch</th><th scope="col">Status</th><th scope="col" class="num">Amount</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>

  ${portalCouponSection}
</section>`,
  });
}

export function confirmEmailPage(): string {
  return partners(
    '/partners/confirm-email',
    'Confirm your new email · Ashop Partners',
    html`<section class="wrap narrow">
  <h1>Confirming your new email…</h1>
  <div data-form="confirm-email">${status}</div>
  <p><a class="button" href="/partners/login">Log in</a></p>
</section>`,
    ['partner-account'],
  );
}

/**
 * Where the link in a notification email lands. Opening it changes nothing (mail scanners open
 * links); the partner confirms with the button, which POSTs the token.
 */
export function unsubscribePage(): string {
  return partners(
    '/partners/unsubscribe',
    'Email notifications · Ashop Partners',
    html`<section class="wrap narrow">
  <h1>Stop these emails?</h1>
  <form class="form" data-form="unsubscribe" novalidate>
    <p id="unsubscribe-what">Checking your link…</p>
    <button class="button" type="submit" disabled>Stop these emails</button>
    ${status}
  </form>
  <p class="muted">You can turn each kind of email on or off in your portal's <a href="/partners/settings">Settings</a>.</p>
</section>`,
    ['partner-account'],
  );
}

export function settingsPage(): string {
  return page({
    title: 'Settings · Ashop Partners',
    section: 'portal',
    path: '/partners/settings',
    scripts: ['settings'],
    body: html`<section class="wrap narrow" id="settings" aria-busy="true">
  <h1>Settings</h1>
  <p class="muted" id="account-line"></p>
  ${status}

  <section class="panel" aria-labelledby="account-status-title" id="account-status" hidden>
    <h2 id="account-status-title">Account status</h2>
    <p id="account-status-text"></p>
    <button class="button ghost" type="button" id="resend-confirmation" hidden>Resend confirmation email</button>
    ${status}
  </section>

  <section class="panel" aria-labelledby="profile-title">
    <h2 id="profile-title">Profile and payouts</h2>
    <form class="form" id="profile-form" novalidate>
      <label>Name <input name="name" required maxlength="120" autocomplete="name"></label>
      <label>PayPal email <span class="muted">(where we send your payouts)</span> <input name="payoutEmail" type="email" maxlength="254"></label>
      <label>Website <span class="muted">(optional)</span> <input name="website" type="url" maxlength="300" placeholder="https://"></label>
      <button class="button" type="submit">Save profile</button>
      ${status}
    </form>
  </section>

  <section class="panel" aria-labelledby="email-title">
    <h2 id="email-title">Login email</h2>
    <p>You log in with <strong id="current-email"></strong>. A new address must be confirmed from a link we send to it.</p>
    <div id="pending-email" hidden><p class="notice"><span id="pending-email-text"></span> <button class="button ghost small" type="button" id="resend-email-change">Resend link</button></p></div>
    <form class="form" id="email-form" novalidate>
      <label>New login email <input name="email" type="email" required maxlength="254" autocomplete="email"></label>
      <label>Current password <input name="password" type="password" required autocomplete="current-password"></label>
      <button class="button" type="submit">Change email</button>
      ${status}
    </form>
  </section>

  <section class="panel" aria-labelledby="password-title">
    <h2 id="password-title">Password</h2>
    <form class="form" id="password-form" novalidate>
      <label>Current password <input name="currentPassword" type="password" required autocomplete="current-password"></label>
      <label>New password <input name="newPassword" type="password" required minlength="8" autocomplete="new-password"><span class="hint">At least 8 characters. Other devices are logged out.</span></label>
      <button class="button" type="submit">Change password</button>
      ${status}
    </form>
  </section>

  <section class="panel" aria-labelledby="notify-title">
    <h2 id="notify-title">Email notifications</h2>
    <form class="form" id="notify-form">
      <fieldset class="checks"><legend>Email me when</legend>
        <label class="choice"><input type="checkbox" name="newSignup"> a store signs up through my link</label>
        <label class="choice"><input type="checkbox" name="firstInvoice"> a referred customer pays a first invoice</label>
        <label class="choice"><input type="checkbox" name="payoutSent"> a payout is sent</label>
        <label class="choice"><input type="checkbox" name="statusChange"> my account status changes</label>
      </fieldset>
      <button class="button" type="submit">Save notifications</button>
      ${status}
    </form>
  </section>
</section>`,
  });
}
