// The console's Webhooks section: endpoints, their secrets, test events and the delivery log.
import { webhookEventTypes as eventTypes } from '../../collector/domain/webhooks';
import { html } from './html';

export const webhooksSection = html`<section id="webhooks" class="panel" aria-labelledby="webhooks-title">
    <h2 id="webhooks-title">Webhooks</h2>
    <p>Signed event deliveries to the merchant's systems (<code>Ashop-Signature</code>), retried for 3 days.</p>
    <div class="scroll"><table class="data" id="webhook-table">
      <thead><tr><th scope="col">Endpoint</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
      <tbody></tbody>
    </table></div>
    <p id="webhook-secret" hidden>Signing secret (store it now): <code></code></p>
    <h3>New endpoint</h3>
    <form id="webhook-form" class="form compact">
      <label>URL <input name="url" type="url" required placeholder="https://books.example/hooks/ashop"></label>
      <fieldset><legend>Events</legend>
        ${eventTypes.map((type) => html`<label class="choice"><input type="checkbox" name="event" value="${type}" checked> ${type}</label>`)}
      </fieldset>
      <div><button class="button" type="submit">Add endpoint</button></div>
    </form>
    <p class="status" role="status" aria-live="polite"></p>
    <h3 id="webhook-log-title">Delivery log</h3>
    <div class="scroll"><table class="data" id="webhook-log">
      <thead><tr><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col" class="num">Last code</th><th scope="col">Created</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>`;
