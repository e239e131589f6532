// The page sections of coupon codes and attribution health, kept apart from the portal's and the
// console's other sections: demo-site/browser/portal-coupons.ts and console-attribution.ts drive them.
import { html } from './html';

const status = html`<p class="status" role="status" aria-live="polite"></p>`;

/** The partner's codes with their signups and customers, and the request form. */
export const portalCouponSection = html`<section aria-labelledby="coupons-title" class="panel" id="coupons">
    <h2 id="coupons-title">Coupon codes</h2>
    <p class="muted">A customer who signs up with your code is yours for life, like one of your link's. New codes wait for the operator's approval.</p>
    <div class="scroll"><table class="data" id="coupon-table">
      <thead><tr><th scope="col">Code</th><th scope="col">Status</th><th scope="col">Discount</th><th scope="col">Ends</th><th scope="col" class="num">Signups</th><th scope="col" class="num">Customers</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <p><button class="button ghost" type="button" id="coupons-more" hidden>More</button></p>
    <form id="coupon-request" class="form compact grid two">
      <label>Code <input name="code" required pattern="[A-Za-z0-9_\\-]{3,32}" maxlength="32" placeholder="PODCAST25"></label>
      <label>Discount for the customer (optional) <input name="discount" maxlength="200" placeholder="25% off the first 3 months"></label>
      <div><button class="button" type="submit">Request code</button></div>
    </form>
    ${status}
  </section>`;

/** The operator's codes (create, approve, reject, deactivate) and the attribution health report. */
export const consoleAttributionSections = html`<section id="coupons" class="panel" aria-labelledby="coupons-title">
    <h2 id="coupons-title">Coupon codes</h2>
    <div class="scroll"><table class="data" id="coupon-table">
      <thead><tr><th scope="col">Code</th><th scope="col">Partner</th><th scope="col">Status</th><th scope="col">Discount</th><th scope="col">Ends</th><th scope="col" class="num">Signups</th><th scope="col" class="num">Customers</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <button class="button ghost small" type="button" id="coupon-table-more" hidden>Show more</button>
    <h3>New code</h3>
    <form id="coupon-form" class="form compact grid two">
      <label>Code <input name="code" required pattern="[A-Za-z0-9_\\-]{3,32}" maxlength="32"></label>
      <label>Partner ID <input name="partnerId" required maxlength="64"></label>
      <label>Discount (optional) <input name="discount" maxlength="200"></label>
      <label>Ends (optional) <input name="endsAt" type="date"></label>
      <div><button class="button" type="submit">Create code</button></div>
    </form>
    ${status}
  </section>

  <section id="attribution" class="panel" aria-labelledby="attribution-title">
    <div class="titlebar"><h2 id="attribution-title">Attribution health</h2>
      <form id="attribution-form" class="form inline">
        <label>From <input name="from" type="date"></label>
        <label>To <input name="to" type="date"></label>
        <button class="button ghost" type="submit">Show</button>
      </form>
    </div>
    <p class="muted">Where each signup's attribution came from, and why the others were not attributed.</p>
    <p id="attribution-summary"></p>
    <div class="scroll"><table class="data" id="attribution-table">
      <thead><tr><th scope="col">Source or reason</th><th scope="col">Method</th><th scope="col" class="num">Signups</th><th scope="col" class="num">Share</th></tr></thead>
      <tbody></tbody>
    </table></div>
    ${status}
  </section>`;
