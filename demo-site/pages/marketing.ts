// Ashop Commerce's marketing site: home, features, pricing and the store signup page. Every one
// carries the tracking snippet, so a partner link to any of them counts.
import { apps, designService, plans } from '../catalog';
import { dollars, html } from './html';
import { page } from './layout';

const site = (path: string, title: string, body: ReturnType<typeof html>, scripts?: string[]) =>
  page({ title, section: 'site', path, body, tracking: true, ...(scripts ? { scripts } : {}) });

export function homePage(): string {
  return site(
    '/',
    'Ashop Commerce: open your online store today',
    html`<section class="hero">
  <div class="wrap">
    <h1>Sell anywhere, starting today.</h1>
    <p class="lead">Ashop Commerce gives you a beautiful store, checkout, payments and the apps to grow, on one monthly plan.</p>
    <p><a class="button" href="/signup">Start your free trial</a> <a class="button ghost" href="/pricing">See pricing</a></p>
  </div>
</section>
<section class="wrap grid three">
  <article class="card"><h2>Launch in an afternoon</h2><p>Pick a theme, add products, connect payments. Your store is live before dinner.</p></article>
  <article class="card"><h2>Checkout that converts</h2><p>One-page checkout with cards, PayPal and wallets, tuned on millions of orders.</p></article>
  <article class="card"><h2>Apps when you need them</h2><p>Reviews, email marketing, subscriptions: switch them on from the admin, billed monthly.</p></article>
</section>
<section class="wrap band">
  <h2>Do you recommend store platforms?</h2>
  <p>Agencies, creators and consultants earn <strong>25% of every invoice, for the customer's lifetime</strong>. <a href="/partners/">Join the partner program</a>.</p>
</section>`,
  );
}

export function featuresPage(): string {
  return site(
    '/features',
    'Features · Ashop Commerce',
    html`<section class="wrap">
  <h1>Features</h1>
  <p class="lead">Everything a growing store needs, in one place.</p>
  <div class="grid two">
    <article class="card"><h2>Storefront</h2><p>Responsive themes, custom domains, fast pages everywhere.</p></article>
    <article class="card"><h2>Checkout and payments</h2><p>Cards, PayPal and wallets; taxes and shipping rates computed for you.</p></article>
    <article class="card"><h2>Marketing</h2><p>Discount codes, abandoned-cart emails and reviews with one click.</p></article>
    <article class="card"><h2>Operations</h2><p>Inventory, orders, staff accounts and reports that export to your accountant.</p></article>
  </div>
  <h2 id="integration">For integrators: partner tracking on your own site</h2>
  <p>This site tracks partner referrals with Ashop Partners. The snippet in the head of every page is:</p>
  <pre><code>&lt;script&gt;window.ashop=window.ashop||function(){(ashop.q=ashop.q||[]).push(arguments)}&lt;/script&gt;
&lt;script async src="/ashop/sdk/ashop.min.js" data-endpoint="/ashop"&gt;&lt;/script&gt;</code></pre>
  <p>The site's server forwards <code>/ashop/</code> to the collector, so the referral cookie is first-party.</p>
</section>`,
  );
}

export function pricingPage(): string {
  return site(
    '/pricing',
    'Pricing · Ashop Commerce',
    html`<section class="wrap">
  <h1>Simple monthly pricing</h1>
  <p class="lead">14-day free trial on every plan. No transaction fees with Ashop Payments.</p>
  <div class="grid three plans">
    ${plans.map(
      (plan) => html`<article class="card plan">
      <h2>${plan.name}</h2>
      <p class="price"><strong>${dollars(plan.monthly)}</strong> / month</p>
      <p>${plan.pitch}</p>
      <ul>${plan.features.map((feature) => html`<li>${feature}</li>`)}</ul>
      <a class="button" href="/signup?plan=${plan.id}">Choose ${plan.name}</a>
    </article>`,
    )}
  </div>
  <h2>Apps</h2>
  <table class="data">
    <thead><tr><th scope="col">App</th><th scope="col" class="num">Monthly</th></tr></thead>
    <tbody>${apps.map((app) => html`<tr><td>${app.name}</td><td class="num">${dollars(app.monthly)}</td></tr>`)}
      <tr><td>${designService.name} (one-off)</td><td class="num">${dollars(designService.price)}</td></tr>
    </tbody>
  </table>
</section>`,
  );
}

export function signupPage(selectedPlan: string | undefined): string {
  const chosen = plans.some((plan) => plan.id === selectedPlan) ? selectedPlan : 'growth';
  return site(
    '/signup',
    'Start your free trial · Ashop Commerce',
    html`<section class="wrap narrow">
  <h1>Create your store</h1>
  <p class="lead">14 days free, then billed monthly. Cancel anytime.</p>
  <form id="store-signup" class="form" novalidate>
    <label>Store name <input name="storeName" required maxlength="80" autocomplete="organization"></label>
    <label>Email <input name="email" type="email" required maxlength="254" autocomplete="email"></label>
    <fieldset>
      <legend>Plan</legend>
      ${plans.map(
        (plan) =>
          html`<label class="choice"><input type="radio" name="plan" value="${plan.id}"${plan.id === chosen ? html` checked` : ''}> ${plan.name} <span class="muted">${dollars(plan.monthly)}/month</span></label>`,
      )}
    </fieldset>
    <fieldset>
      <legend>Apps</legend>
      ${apps.map(
        (app) =>
          html`<label class="choice"><input type="checkbox" name="apps" value="${app.id}"> ${app.name} <span class="muted">${dollars(app.monthly)}/month</span></label>`,
      )}
      <label class="choice"><input type="checkbox" name="design" value="yes"> ${designService.name} <span class="muted">${dollars(designService.price)} once</span></label>
    </fieldset>
    <button class="button" type="submit">Create my store</button>
    <p class="status" role="status" aria-live="polite"></p>
  </form>
</section>`,
    ['store-signup'],
  );
}

export function notFoundPage(path: string): string {
  return page({
    title: 'Page not found · Ashop Commerce',
    section: 'site',
    path,
    body: html`<section class="wrap narrow"><h1>Page not found</h1><p class="lead">There is no page at <code>${path}</code>.</p><p><a class="button" href="/">Go to the home page</a></p></section>`,
  });
}
