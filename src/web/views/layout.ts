import type { Provider } from '../../domain/api.js';
import { type Html, html } from '../html.js';

export interface PageContext {
  /** Public paths of the stylesheet and script (content-hashed). */
  css: string;
  js: string;
  datasetVersion: string;
  providers: Provider[];
}

const NAV = [
  ['/', 'Topics'],
  ['/migrate', 'Migrate'],
  ['/ask', 'Ask'],
  ['/search', 'Search'],
  ['/dataset', 'Freshness'],
  ['/docs', 'REST API'],
  ['/graphiql', 'GraphQL'],
] as const;

/** The document head every page shares; `extra` goes last (the script of a page, an embed's base target). */
function head(ctx: PageContext, title: string, extra: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · Cloudiff</title>
<link rel="stylesheet" href="${ctx.css}">
${extra}
</head>`;
}

export function page(ctx: PageContext, title: string, body: Html, opts: { q?: string; current?: string } = {}): string {
  return html`${head(ctx, title, html`<script src="${ctx.js}" defer></script>`)}
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="/">Cloudiff</a>
<nav aria-label="Main"><ul>${NAV.map(
    ([href, label]) => html`<li><a href="${href}"${opts.current === href ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>
<form role="search" action="/search" method="get">
<label for="site-q" class="skip">Search the facts</label>
<input id="site-q" type="search" name="q" placeholder="Search facts (e.g. ndots)" value="${opts.q ?? ''}">
<button type="submit">Search</button>
</form>
</header>
<main id="main">
${body}
</main>
<footer class="site">Dataset ${ctx.datasetVersion} · every fact cites official documentation · <a href="/openapi.json">OpenAPI</a></footer>
</body>
</html>
`.value;
}

/** A compact page for iframes: no site chrome, links open outside the frame. */
export function embedPage(ctx: PageContext, title: string, body: Html): string {
  return html`${head(ctx, title, html`<base target="_blank">`)}
<body class="embed">
<main id="main">
${body}
</main>
</body>
</html>
`.value;
}

export function providerName(ctx: PageContext, slug: string): string {
  const p = ctx.providers.find((x) => x.slug === slug);
  return p ? `${p.name} (${p.kubernetes_service_short})` : slug;
}
