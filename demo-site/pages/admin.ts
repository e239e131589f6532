// The operator console: one page, driven by the console script against the collector's admin API
// (through /ashop/) and the site's own billing endpoint.
import { webhooksSection } from './admin-webhooks';
import { consoleAttributionSections } from './attribution';
import { html } from './html';
import { page } from './layout';

const status = html`<p class="status" role="status" aria-live="polite"></p>`;

export function consolePage(): string {
  return page({
    title: 'Operator console · Ashop Partners',
    section: 'admin',
    path: '/admin/',
    scripts: ['console'],
    body: html`<section class="wrap narrow" id="console-login">
  <h1>Operator login</h1>
  <form class="form" id="admin-login" novalidate>
    <label>Email <input name="email" type="email" required autocomplete="username"></label>
    <label>Password <input name="password" type="password" required autocomplete="current-password"></label>
    <button class="button" type="submit">Log in</button>
    ${status}
  </form>
  <details class="faq"><summary>Use an admin API key instead</summary>
    <form class="form" id="admin-key" novalidate>
      <label>Admin API key <input name="key" type="password" required autocomplete="off"></label>
      <button class="button" type="submit">Use key</button>
      ${status}
    </form>
  </details>
</section>

<section class="wrap" id="console" hidden>
  <div class="titlebar">
    <h1>Operator console</h1>
    <div class="actions"><button class="button ghost" type="button" id="logout">Log out</button></div>
  </div>
  <nav class="tabs" aria-label="Console sections">
    <a href="#approvals" id="approvals-tab" hidden>Approvals</a><a href="#partners">Partners</a><a href="#reports">Reports</a><a href="#payouts">Payouts</a><a href="#billing">Billing</a><a href="#banners">Banners</a><a href="#webhooks">Webhooks</a>
  </nav>

  <section id="approvals" class="panel" aria-labelledby="approvals-title" hidden>
    <h2 id="approvals-title">Waiting for approval</h2>
    <p class="muted">Partner approval is manual (<code>ASHOP_PARTNER_APPROVAL=manual</code>): confirmed partners wait here; their links do not count until approved. They are told by email either way.</p>
    ${status}
    <div class="scroll"><table class="data" id="approval-table">
      <thead><tr><th scope="col">Partner</th><th scope="col">Email</th><th scope="col">Website</th><th scope="col">Signed up</th><th scope="col">Decision</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>

  <section id="partner-page" class="panel" aria-labelledby="partner-page-title" hidden tabindex="-1">
    <div class="titlebar"><h2 id="partner-page-title">Partner</h2><button class="button ghost" type="button" id="partner-page-close">Back to the list</button></div>
    ${status}
    <dl class="profile" id="partner-profile"></dl>
    <div class="grid two">
      <section aria-labelledby="history-title"><h3 id="history-title">Status history</h3><ol class="timeline" id="partner-history"></ol></section>
      <section aria-labelledby="notes-title"><h3 id="notes-title">Operator notes</h3>
        <form class="form compact" id="note-form">
          <label>New note <span class="muted">(partners never see notes)</span> <textarea name="text" required maxlength="2000" rows="2"></textarea></label>
          <div><button class="button ghost" type="submit">Add note</button></div>
        </form>
        <ul class="notes" id="partner-notes"></ul>
      </section>
    </div>
    <h3>Manual adjustment</h3>
    <form class="form compact grid two" id="adjustment-form">
      <label>Amount in dollars <span class="muted">(negative for a correction)</span> <input name="amount" required inputmode="decimal" placeholder="25.00"></label>
      <label>Reason (required, shown to the partner) <input name="reason" required maxlength="500"></label>
      <label>Payable from <span class="muted">(empty: at once)</span> <input name="availableAt" type="date"></label>
      <div><button class="button" type="submit">Add adjustment</button></div>
    </form>
    <p class="muted small">An adjustment is a ledger entry of its own (<code>adjustment:&lt;reference&gt;</code>): payable from the date given, paid by the next payout run with the partner's other entries. Submitting the same form twice adds it once.</p>
    <h3>Commissions and adjustments</h3>
    <div class="scroll"><table class="data" id="partner-commissions">
      <thead><tr><th scope="col">Date</th><th scope="col">Entry</th><th scope="col">Status</th><th scope="col">Payable from</th><th scope="col" class="num">Amount</th></tr></thead><tbody></tbody>
    </table></div>
    <h3>Payouts</h3>
    <div class="scroll"><table class="data" id="partner-payouts">
      <thead><tr><th scope="col">Date</th><th scope="col">Batch</th><th scope="col">Status</th><th scope="col" class="num">Amount</th></tr></thead><tbody></tbody>
    </table></div>
    <h3>Audit trail</h3>
    <div class="scroll"><table class="data" id="partner-audit">
      <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Details</th></tr></thead><tbody></tbody>
    </table></div>
  </section>

  <section id="partners" class="panel" aria-labelledby="partners-title">
    <div class="titlebar"><h2 id="partners-title">Partners</h2>
      <form id="partner-filter" class="inline" role="search">
        <label>Search <input name="q" type="search"></label>
        <label>Status <select name="status"><option value="">All</option><option>pending</option><option value="pending_approval">pending approval</option><option>active</option><option>frozen</option><option>disabled</option></select></label>
        <button class="button ghost" type="submit">Filter</button>
      </form>
    </div>
    ${status}
    <div class="scroll"><table class="data" id="partner-table">
      <thead><tr><th scope="col">Partner</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Rate</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <button class="button ghost small" type="button" id="partner-table-more" hidden>Show more</button>
  </section>

  <section id="reports" class="panel" aria-labelledby="reports-title">
    <div class="titlebar"><h2 id="reports-title">Partner report</h2>
      <form id="report-range" class="inline">
        <label>From <input name="from" type="date"></label>
        <label>To <input name="to" type="date"></label>
        <button class="button ghost" type="submit">Show</button>
        <button class="button ghost" type="button" id="report-csv">CSV</button>
      </form>
    </div>
    <p class="muted" id="report-period"></p>
    ${status}
    <div class="scroll"><table class="data sortable" id="report-table"><thead></thead><tbody></tbody></table></div>
  </section>

  <section id="payouts" class="panel" aria-labelledby="payouts-title">
    <h2 id="payouts-title">Payout run</h2>
    <form id="payout-run" class="inline">
      <label>As of <input name="asOf" type="date" required></label>
      <button class="button ghost" type="button" id="payout-preview">Preview</button>
      <button class="button" type="submit">Run payouts</button>
    </form>
    ${status}
    <div id="payout-result"></div>
    <h3>Payout history</h3>
    <div class="scroll"><table class="data" id="payout-history">
      <thead><tr><th scope="col">Batch</th><th scope="col">Created</th><th scope="col">As of</th><th scope="col">Status</th><th scope="col" class="num">Payments</th><th scope="col" class="num">Total</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody></tbody>
    </table></div>
    <button class="button ghost small" type="button" id="payout-history-more" hidden>Show more</button>
  </section>

  <section id="billing" class="panel" aria-labelledby="billing-title">
    <h2 id="billing-title">Billing (Ashop Commerce)</h2>
    <p>Sends this month's invoice of every demo store (plan, apps and the design service) to <code>POST /v1/revenue</code>. Billing the same month again changes nothing.</p>
    <button class="button" type="button" id="bill-month">Bill this month</button>
    ${status}
    <div class="scroll"><table class="data" id="billing-table">
      <thead><tr><th scope="col">Store</th><th scope="col">Invoice</th><th scope="col" class="num">Total</th><th scope="col" class="num">Commission</th><th scope="col">Result</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>

  <section id="banners" class="panel" aria-labelledby="banners-title">
    <h2 id="banners-title">Banners</h2>
    <div class="scroll"><table class="data" id="banner-table">
      <thead><tr><th scope="col">Preview</th><th scope="col">ID</th><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Target</th><th scope="col">Shown to partners</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <button class="button ghost small" type="button" id="banner-table-more" hidden>Show more</button>
    <h3 id="banner-form-title">New banner</h3>
    <form id="banner-form" class="form compact grid two" aria-labelledby="banner-form-title">
      <label>Banner ID (a_bid, optional) <input name="bannerId" maxlength="64" pattern="[A-Za-z0-9_\\-]+" placeholder="spring-sale"></label>
      <label>Name <input name="name" required maxlength="120"></label>
      <label>Image URL <input name="imageUrl" required value="/static/banner-728x90.svg"></label>
      <label>Width <input name="width" type="number" required min="1" value="728"></label>
      <label>Height <input name="height" type="number" required min="1" value="90"></label>
      <label>Target page <input name="targetPath" value="/pricing"></label>
      <label>Alt text <input name="altText" required value="Ashop Commerce: open your store today"></label>
      <label class="choice"><input name="active" type="checkbox" checked> Shown to partners</label>
      <div class="actions"><button class="button" type="submit" id="banner-submit">Create banner</button><button class="button ghost" type="button" id="banner-cancel" hidden>Cancel editing</button></div>
    </form>
    ${status}
  </section>

  ${webhooksSection}
  ${consoleAttributionSections}
</section>

<dialog id="status-dialog" aria-labelledby="status-dialog-title">
  <form method="dialog" class="form">
    <h2 id="status-dialog-title">Change status</h2>
    <p id="status-dialog-text"></p>
    <ul id="status-dialog-effects"></ul>
    <label>Reason (required) <textarea name="reason" required maxlength="500" rows="3"></textarea></label>
    <div class="actions"><button class="button ghost" value="cancel" formnovalidate>Cancel</button><button class="button" value="ok">Confirm</button></div>
  </form>
</dialog>

<dialog id="confirm-dialog" aria-labelledby="confirm-dialog-title">
  <form method="dialog" class="form">
    <h2 id="confirm-dialog-title">Are you sure?</h2>
    <p id="confirm-dialog-text"></p>
    <div class="actions"><button class="button ghost" value="cancel">Cancel</button><button class="button danger" value="ok" id="confirm-dialog-ok">Delete</button></div>
  </form>
</dialog>`,
  });
}
