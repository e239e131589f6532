// The page frame shared by every page: head, header with the section's navigation, footer.
import { html, type Html } from './html';

export type Section = 'site' | 'partners' | 'portal' | 'admin' | 'mail';

export interface PageOptions {
  title: string;
  section: Section;
  /** Path of the current page, to mark its navigation link. */
  path: string;
  body: Html;
  /** Browser bundles under /assets/ (ES modules). */
  scripts?: string[];
  /** Include the Ashop Partners SDK as an integrator would (marketing pages). */
  tracking?: boolean;
  /** Extra stylesheets (e.g. the chart's). */
  styles?: string[];
}

const navigation: Record<Section, Array<[string, string]>> = {
  site: [
    ['/features', 'Features'],
    ['/pricing', 'Pricing'],
    ['/partners/', 'Partners'],
  ],
  partners: [
    ['/partners/', 'Program'],
    ['/partners/signup', 'Join'],
    ['/partners/login', 'Log in'],
  ],
  portal: [
    ['/partners/portal', 'Dashboard'],
    ['/partners/settings', 'Settings'],
    ['/partners/', 'Program'],
  ],
  admin: [
    ['/admin/', 'Console'],
    ['/mail/', 'Mailbox'],
  ],
  mail: [
    ['/mail/', 'Mailbox'],
    ['/admin/', 'Console'],
  ],
};

const brand: Record<Section, string> = {
  site: 'Ashop Commerce',
  partners: 'Ashop Partners',
  portal: 'Ashop Partners',
  admin: 'Ashop Partners · Operator',
  mail: 'Ashop · Dev mailbox',
};

/** docs/CONTRACTS.md §3: the queue stub, then the async SDK through the site's own /ashop/ proxy. */
const trackingSnippet = html`<script>window.ashop=window.ashop||function(){(ashop.q=ashop.q||[]).push(arguments)}</script>
  <script async src="/ashop/sdk/ashop.min.js" data-endpoint="/ashop"></script>`;

export function page(options: PageOptions): string {
  const links = navigation[options.section].map(
    ([href, label]) => html`<a href="${href}"${options.path === href ? html` aria-current="page"` : ''}>${label}</a>`,
  );
  const cta =
    options.section === 'site'
      ? html`<a class="button small" href="/signup">Start free trial</a>`
      : options.section === 'partners'
        ? html`<a class="button small" href="/partners/signup">Become a partner</a>`
        : '';
  const home = options.section === 'site' ? '/' : options.section === 'admin' ? '/admin/' : '/partners/';
  return `<!doctype html>${html`<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title}</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/site.css">
  ${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
  ${options.tracking ? trackingSnippet : ''}
  ${(options.scripts ?? []).map((name) => html`<script type="module" src="/assets/${name}.js"></script>`)}
</head>
<body class="section-${options.section}">
  <a class="skip" href="#main">Skip to content</a>
  <header class="top">
    <div class="wrap bar">
      <a class="brand" href="${home}"><span class="logo" aria-hidden="true">A</span>${brand[options.section]}</a>
      <nav aria-label="Main">${links}${cta}</nav>
    </div>
  </header>
  <main id="main">${options.body}</main>
  <footer class="foot">
    <div class="wrap">
      <p>© 2026 Ashop Commerce (a demo). <a href="/">Store platform</a> · <a href="/partners/">Partner program</a> · <a href="/docs/api">API reference</a> · <a href="/admin/">Operator console</a> · <a href="/mail/">Dev mailbox</a></p>
    </div>
  </footer>
</body>
</html>`}`;
}
