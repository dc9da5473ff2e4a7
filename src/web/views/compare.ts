import type { Compare, CompareRow, Fact, TopicSummary } from '../../domain/api.js';
import { PROVIDER_SLUGS, type ProviderSlug } from '../../domain/seed.js';
import { type Html, html } from '../html.js';
import { type PageContext, providerName } from './layout.js';

/** A fact's lifecycle status, shown only when it is not plain GA. */
function statusBadge(fact: Fact): Html | '' {
  return fact.status !== 'ga' ? html`<span class="badge status-${fact.status}">${fact.status}</span>` : '';
}

export function factLink(id: string): string {
  return `/facts/${id.split('/').map(encodeURIComponent).join('/')}`;
}

function sourceLinks(fact: Fact): Html {
  return html`<span class="src">${fact.sources.map(
    (s, i) => html`<a href="${s.url}" rel="noopener" title="${s.title}">[${i + 1}]<span class="skip"> ${s.title}</span></a>`,
  )}</span>`;
}

export function factBlock(fact: Fact, opts: { details: boolean } = { details: true }): Html {
  return html`<div class="fact">
${fact.variant ? html`<div class="variant">${fact.variant}${fact.default ? ' (default)' : ''}</div>` : ''}
<div><span class="value">${fact.value}</span>${statusBadge(fact)} ${sourceLinks(fact)}</div>
${
  opts.details
    ? html`<details><summary>Details</summary><p>${fact.details}</p>
<p class="meta">Verified ${fact.verified} · confidence ${fact.confidence} · <a href="${factLink(fact.id)}">${fact.id}</a></p></details>`
    : ''
}
</div>`;
}

function differsBadge(row: CompareRow): Html | '' {
  const differs = row.differs as boolean | null;
  if (differs === null) return '';
  return differs ? html`<span class="badge differs">differs</span>` : html`<span class="badge same">same</span>`;
}

function rowHtml(row: CompareRow, providers: readonly ProviderSlug[], ctx: PageContext, details: boolean): Html {
  const d = row.divergence;
  return html`<tr id="${row.dimension.slug}">
<th scope="row">${row.dimension.title} <span class="badge sev-${d.severity}" title="how likely the difference breaks a moved workload">${d.severity}</span> ${differsBadge(row)}
<span class="q">${row.dimension.question}</span>
${
  details
    ? html`<details><summary>How they differ</summary><p>${d.summary}</p><p><em>Example:</em> ${d.example}</p>
${
  d.migration.length
    ? html`<ul>${d.migration.map((m) => html`<li><strong>${providerName(ctx, m.from)} → ${providerName(ctx, m.to)}:</strong> ${m.note}</li>`)}</ul>`
    : ''
}
<p class="meta">Kubernetes baseline: ${row.dimension.baseline}</p></details>`
    : ''
}
</th>
${providers.map((p) => html`<td>${(row.cells[p] ?? []).map((f) => factBlock(f, { details }))}</td>`)}
</tr>`;
}

/** Rows a reader asked for: every row, or with `differsOnly` those whose providers do not all behave alike. */
export function visibleRows(data: Compare, differsOnly: boolean): CompareRow[] {
  return differsOnly ? data.rows.filter((r) => (r.differs as boolean | null) !== false) : data.rows;
}

export function matrix(data: Compare, ctx: PageContext, opts: { differsOnly: boolean; details: boolean }): Html {
  const rows = visibleRows(data, opts.differsOnly);
  return html`<div class="matrix" tabindex="0" role="region" aria-label="${data.topic.title} comparison">
<table>
<caption class="skip">${data.topic.title}: one row per dimension, one column per cloud</caption>
<thead><tr><th scope="col">Dimension</th>${data.providers.map((p) => html`<th scope="col" class="provider-${p}">${providerName(ctx, p)}</th>`)}</tr></thead>
<tbody>
${rows.length ? rows.map((r) => rowHtml(r, data.providers, ctx, opts.details)) : html`<tr><td colspan="${data.providers.length + 1}">No row differs between these providers.</td></tr>`}
</tbody>
</table>
</div>`;
}

export function filtersForm(data: Compare, differsOnly: boolean): Html {
  return html`<form class="filters" method="get" data-autosubmit>
<fieldset><legend>Providers</legend>
${PROVIDER_SLUGS.map(
  (p) =>
    html`<label><input type="checkbox" name="providers" value="${p}"${data.providers.includes(p) ? html` checked` : ''}> ${p}</label>`,
)}
</fieldset>
<label><input type="checkbox" name="differs" value="1"${differsOnly ? html` checked` : ''}> Differs only</label>
<button type="submit" data-js-hide>Apply</button>
</form>`;
}

export function topicPage(data: Compare, ctx: PageContext, opts: { differsOnly: boolean; origin: string }): Html {
  const providers = data.providers.join(',');
  const query = providers === PROVIDER_SLUGS.join(',') ? '' : `?providers=${providers}`;
  const iframe = `<iframe src="${opts.origin}/embed/compare/${data.topic.slug}${query}" title="${data.topic.title} on the three clouds (Cloudiff)" width="100%" height="640" loading="lazy"></iframe>`;
  const element = `<script src="${opts.origin}/embed.js" defer></script>\n<cloudiff-compare topic="${data.topic.slug}"${query ? ` providers="${providers}"` : ''}></cloudiff-compare>`;
  return html`<h1>${data.topic.title}</h1>
<p class="lead">${data.topic.summary}</p>
${filtersForm(data, opts.differsOnly)}
${matrix(data, ctx, { differsOnly: opts.differsOnly, details: true })}
<section class="snippets">
<h2>Embed this comparison</h2>
<p>In an iframe (the embedding origin must be listed in <code>EMBED_ORIGINS</code>):</p>
<pre data-copy tabindex="0"><code>${iframe}</code></pre>
<p>As a custom element drawn from the API (the page's origin must be listed in <code>CORS_ORIGINS</code>; theme it with <code>--cloudiff-*</code> CSS custom properties):</p>
<pre data-copy tabindex="0"><code>${element}</code></pre>
<p class="meta">JSON: <a href="/v1/compare?topic=${data.topic.slug}&amp;providers=${providers}">/v1/compare?topic=${data.topic.slug}&amp;providers=${providers}</a></p>
</section>`;
}

export function topicsList(topics: TopicSummary[]): Html {
  return html`<ul class="cards">${topics.map(
    (
      t,
    ) => html`<li><h3><a href="/topics/${t.slug}">${t.title}</a></h3><p>${t.summary.length > 260 ? `${t.summary.slice(0, 257)}…` : t.summary}</p>
<p class="meta">${t.dimension_count} dimensions · ${t.fact_count} facts</p></li>`,
  )}</ul>`;
}
