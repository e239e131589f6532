// The dev mailbox: the collector's outbox (mail kept when no SMTP_URL is set), newest first, with
// links made clickable so a person can confirm an account from here.
import type { OutboxMessageDoc } from '../../collector/models/outbox-message';
import { html, type Html } from './html';
import { page } from './layout';

/** What the mailbox shows of an outbox message. */
export type MailMessage = Pick<OutboxMessageDoc, 'to' | 'subject' | 'text' | 'createdAt'>;

/** Plain text with its http(s) links turned into anchors (everything else escaped). */
function linkify(text: string): Html[] {
  return text
    .split(/(https?:\/\/[^\s<>"]+)/g)
    .map((part, index) => (index % 2 ? html`<a href="${part}">${part}</a>` : html`${part}`));
}

export function mailboxPage(messages: MailMessage[], smtpConfigured: boolean): string {
  const body = smtpConfigured
    ? html`<p>Mail is sent through the configured SMTP server (<code>SMTP_URL</code>); nothing is kept here.</p>`
    : messages.length === 0
      ? html`<p class="muted">No messages yet. Sign up as a partner and the confirmation email appears here.</p>`
      : messages.map(
          (message) => html`<article class="card mail">
      <header><h2>${message.subject}</h2><p class="muted">To ${message.to} · <time datetime="${message.createdAt.toISOString()}">${message.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</time></p></header>
      <pre class="mailtext">${linkify(message.text)}</pre>
    </article>`,
        );
  return page({
    title: 'Dev mailbox · Ashop',
    section: 'mail',
    path: '/mail/',
    body: html`<section class="wrap narrow"><h1>Dev mailbox</h1><p class="lead">Email the collector would have sent, newest first.</p>${body}</section>`,
  });
}

/** What a client that is not on this machine gets instead of the mailbox. */
export function mailboxClosedPage(): string {
  return page({
    title: 'Dev mailbox · Ashop',
    section: 'mail',
    path: '/mail/',
    body: html`<section class="wrap narrow"><h1>Dev mailbox</h1><p class="lead">The dev mailbox answers only on the machine the demo runs on (open it at <code>http://localhost:…/mail/</code> there). It holds password reset and confirmation links, so it is never shown to the network.</p></section>`,
  });
}
