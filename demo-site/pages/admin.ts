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
    <a href="#partners">Partners</a><a href="#reports">Reports</a><a href="#payouts">Payouts</a><a href="#billing">Billing</a><a href="#banners">Banners</a><a href="#webhooks">Webhooks</a>
  </nav>

  <section id="partners" class="panel" aria-labelledby="partners-title">
    <div class="titlebar"><h2 id="partners-title">Partners</h2>
      <form id="partner-filter" class="inline" role="search">
        <label>Search <input name="q" type="search"></label>
        <label>Status <select name="status"><option value="">All</option><option>pending</option><option>active</option><option>frozen</option><option>disabled</option></select></label>
        <button class="button ghost" type="submit">Filter</button>
      </form>
    </div>
    ${status}
    <div class="scroll"><table class="data" id="partner-table">
      <thead><tr><th scope="col">Partner</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Rate</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table></div>
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
      <thead><tr><th scope="col">ID</th><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Target</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <h3>New banner</h3>
    <form id="banner-form" class="form compact grid two">
      <label>Banner ID (a_bid, optional) <input name="bannerId" maxlength="64" pattern="[A-Za-z0-9_\\-]+" placeholder="spring-sale"></label>
      <label>Name <input name="name" required maxlength="120"></label>
      <label>Image URL <input name="imageUrl" required value="/static/banner-728x90.svg"></label>
      <label>Width <input name="width" type="number" required min="1" value="728"></label>
      <label>Height <input name="height" type="number" required min="1" value="90"></label>
      <label>Target page <input name="targetPath" value="/pricing"></label>
      <label>Alt text <input name="altText" required value="Ashop Commerce: open your store today"></label>
      <div><button class="button" type="submit">Create banner</button></div>
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
    <label>Reason (required) <textarea name="reason" required maxlength="500" rows="3"></textarea></label>
    <div class="actions"><button class="button ghost" value="cancel" formnovalidate>Cancel</button><button class="button" value="ok">Confirm</button></div>
  </form>
</dialog>`,
  });
}
