// Sections of the partner portal beyond the dashboard basics: performance per banner, sub-ID,
// landing page or coupon (browser/portal-performance.ts) and the book of business
// (browser/portal-statements.ts).
import { html } from './html';

const status = html`<p class="status" role="status" aria-live="polite"></p>`;

export const portalPerformanceSection = html`<section aria-labelledby="performance-title" class="panel" id="performance">
    <h2 id="performance-title">Performance</h2>
    <form id="performance-form" class="inline">
      <span class="field"><label for="performance-by">Group by</label><select id="performance-by" name="by">
        <option value="banner">Banner (a_bid)</option>
        <option value="data1">Sub-ID data1</option>
        <option value="data2">Sub-ID data2</option>
        <option value="page">Landing page</option>
        <option value="coupon">Coupon code</option>
      </select></span>
      <label>From <input name="from" type="date" required></label>
      <label>To <input name="to" type="date" required></label>
      <button class="button" type="submit">Show</button>
      <button class="button ghost" type="button" id="performance-csv">Download performance CSV</button>
    </form>
    ${status}
    <p class="muted small" id="performance-period"></p>
    <div class="scroll"><table class="data" id="performance-table">
      <thead><tr><th scope="col" id="performance-key">Banner</th><th scope="col" class="num">Clicks</th><th scope="col" class="num">Unique clicks</th><th scope="col" class="num">Signups</th><th scope="col" class="num">Paying customers</th><th scope="col" class="num">Conversion</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Earnings</th><th scope="col" class="num">EPC</th></tr></thead>
      <tbody></tbody>
      <tfoot></tfoot>
    </table></div>
    <p class="muted small"><strong>Conversion</strong> is signups ÷ unique clicks (it can pass 100 % when visitors of earlier periods sign up now); <strong>EPC</strong> is earnings per 100 clicks. Both are computed by the collector in whole units and rounded half up to 0.01 % and to the cent; "–" means no clicks. Customers who used a coupon code count under the code, not under a banner. The total adds up the rows.</p>
  </section>`;

export const portalCustomersSection = html`<section aria-labelledby="customers-title" class="panel" id="customers">
    <h2 id="customers-title">Customers</h2>
    <p class="muted small">Your book of business: every customer bound to you, newest signup first, by ID only. <strong>This month</strong> is the commissionable revenue of their invoices this UTC month; <strong>churned</strong> means no invoice (and no signup) in the last 45 days.</p>
    <div class="scroll"><table class="data dense" id="customer-table">
      <thead><tr><th scope="col">Customer</th><th scope="col">Signed up</th><th scope="col">Bound by</th><th scope="col">First invoice</th><th scope="col">Latest invoice</th><th scope="col" class="num">This month</th><th scope="col" class="num">Lifetime revenue</th><th scope="col" class="num">Lifetime commission</th><th scope="col">Status</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <p><button class="button ghost" type="button" id="customers-more" hidden>More</button></p>
    ${status}
  </section>`;
