import type { Dataset, Diff, Fact, SearchResult, TopicSummary } from '../../domain/api.js';
import type { AskCompact } from '../../domain/ask.js';
import { PROVIDER_SLUGS } from '../../domain/seed.js';
import { type Html, html, snippetHtml } from '../html.js';
import { factBlock, factLink, topicsList } from './compare.js';
import { type PageContext, providerName } from './layout.js';

function askForm(q = ''): Html {
  return html`<form action="/ask" method="get" class="filters">
<label for="ask-q">Ask a question</label>
<input id="ask-q" type="search" name="q" value="${q}" placeholder="how does pod IP allocation differ on GKE?" size="50">
<button type="submit">Ask</button>
</form>`;
}

export function homePage(topics: TopicSummary[], dataset: Dataset): Html {
  return html`<h1>How does it behave on AWS, Azure and GCP?</h1>
<p class="lead">Cited facts about EKS, AKS and GKE: ${dataset.counts.topics} topics, ${dataset.counts.dimensions} dimensions and ${dataset.counts.facts} facts, each from the providers' official documentation.</p>
${askForm()}
<h2>Topics</h2>
${topicsList(topics)}
<p class="meta">Dataset ${dataset.version}, built ${dataset.built_at}. ${dataset.staleness.stale_facts} facts not re-checked for ${dataset.staleness.threshold_days} days: <a href="/dataset">freshness</a>.</p>`;
}

export function searchPage(q: string, result: SearchResult | undefined, ctx: PageContext): Html {
  return html`<h1>Search</h1>
<form action="/search" method="get" class="filters"><label for="search-q">Words</label>
<input id="search-q" type="search" name="q" value="${q}"><button type="submit">Search</button></form>
${
  result
    ? result.items.length
      ? html`<ol class="results">${result.items.map(
          (
            hit,
          ) => html`<li><a href="${hit.kind === 'fact' ? factLink(hit.id) : `/topics/${hit.topic}${hit.dimension ? `#${hit.dimension}` : ''}`}">${hit.title}</a>
${hit.provider ? html` <span class="provider-${hit.provider}">${providerName(ctx, hit.provider)}</span>` : ''} <span class="meta">${hit.kind}</span>
<div>${snippetHtml(hit.snippet)}</div></li>`,
        )}</ol>`
      : html`<p>No fact matches “${q}”. Try fewer or other words, or <a href="/ask?q=${encodeURIComponent(q)}">ask it as a question</a>.</p>`
    : ''
}`;
}

export function askPage(q: string, answer: AskCompact | undefined, ctx: PageContext): Html {
  return html`<h1>Ask</h1>
${askForm(q)}
${
  answer
    ? html`<section aria-label="Answer"><div class="answer">${answer.answer}</div>
${answer.topics.length ? html`<p class="meta">About: ${answer.topics.map((t, i) => html`${i ? ', ' : ''}<a href="/topics/${t.slug}">${t.title}</a>`)}</p>` : ''}
${
  answer.matches.length
    ? html`<h2>The rows behind it</h2><div class="matrix" tabindex="0" role="region" aria-label="Matching rows"><table>
<thead><tr><th scope="col">Dimension</th>${answer.providers.map((p) => html`<th scope="col" class="provider-${p}">${providerName(ctx, p)}</th>`)}</tr></thead>
<tbody>${answer.matches.map(
        (m) =>
          html`<tr><th scope="row"><a href="/topics/${m.dimension.topic}#${m.dimension.slug}">${m.dimension.title}</a></th>${answer.providers.map(
            (p) =>
              html`<td>${(m.cells[p] ?? []).map(
                (f) =>
                  html`<div class="fact">${f.variant ? html`<div class="variant">${f.variant}</div>` : ''}<a href="${factLink(f.id)}">${f.value}</a>${
                    f.status && f.status !== 'ga' ? html` <span class="badge status-${f.status}">${f.status}</span>` : ''
                  }</div>`,
              )}</td>`,
          )}</tr>`,
      )}</tbody></table></div>`
    : ''
}
${
  answer.suggestions.length
    ? html`<p>Closest topics: ${answer.suggestions.map((t, i) => html`${i ? ', ' : ''}<a href="/topics/${t.slug}">${t.title}</a>`)}</p>`
    : ''
}
${
  answer.citations.length
    ? html`<h2>Sources</h2><ol>${answer.citations.map((c) => html`<li><a href="${c.url}" rel="noopener">${c.title}</a></li>`)}</ol>`
    : ''
}</section>`
    : ''
}`;
}

export function migratePage(
  params: { from: string; to: string; topic: string },
  topics: TopicSummary[],
  result: Diff | undefined,
  ctx: PageContext,
): Html {
  const select = (name: string, value: string) =>
    html`<select id="m-${name}" name="${name}">${PROVIDER_SLUGS.map(
      (p) => html`<option value="${p}"${p === value ? html` selected` : ''}>${providerName(ctx, p)}</option>`,
    )}</select>`;
  return html`<h1>Moving a workload between clouds</h1>
<form class="filters" method="get">
<label for="m-from">From</label>${select('from', params.from)}
<label for="m-to">to</label>${select('to', params.to)}
<label for="m-topic">Topic</label><select id="m-topic" name="topic"><option value="">all topics</option>${topics.map(
    (t) => html`<option value="${t.slug}"${t.slug === params.topic ? html` selected` : ''}>${t.title}</option>`,
  )}</select>
<button type="submit">Show what changes</button>
</form>
${
  result
    ? html`<p>${result.counts.critical} critical, ${result.counts.high} high, ${result.counts.medium} medium and ${result.counts.low} low-severity differences, highest first.</p>
<ol class="results">${result.items.map(
        (
          item,
        ) => html`<li><h2><span class="badge sev-${item.severity}">${item.severity}</span> <a href="/topics/${item.topic.slug}#${item.dimension.slug}">${item.dimension.title}</a> <span class="meta">${item.topic.title}</span></h2>
<p>${item.summary}</p>
${item.migration ? html`<p><strong>What to do:</strong> ${item.migration}</p>` : ''}
<details><summary>The facts on both sides</summary>
<h3>${providerName(ctx, result.from)}</h3>${item.from.map((f) => factBlock(f, { details: false }))}
<h3>${providerName(ctx, result.to)}</h3>${item.to.map((f) => factBlock(f, { details: false }))}
<p><em>Example:</em> ${item.example}</p></details></li>`,
      )}</ol>`
    : ''
}`;
}

export interface HistoryEntry {
  revision: number;
  action: string;
  at: string;
  actor: string;
}

export function factPage(fact: Fact, history: HistoryEntry[], ctx: PageContext): Html {
  const f = fact;
  const sources = fact.sources;
  const applies = Object.entries(fact.applies).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  return html`<p class="meta"><a href="/topics/${fact.topic}#${fact.dimension}">${fact.topic} / ${fact.dimension}</a></p>
<h1>${fact.value}</h1>
<dl class="fact-meta">
<dt>Cloud</dt><dd class="provider-${fact.provider}">${providerName(ctx, fact.provider)}</dd>
${fact.variant ? html`<dt>Variant</dt><dd>${fact.variant}${fact.default ? ' (default)' : ''}</dd>` : ''}
<dt>Status</dt><dd>${f.status}</dd>
${applies.length ? html`<dt>Applies to</dt><dd>${applies.join('; ')}</dd>` : ''}
<dt>Verified</dt><dd>${fact.verified}</dd>
<dt>Confidence</dt><dd>${fact.confidence}</dd>
${fact.tags.length ? html`<dt>Tags</dt><dd>${fact.tags.join(', ')}</dd>` : ''}
<dt>Id</dt><dd><code>${fact.id}</code></dd>
</dl>
<p>${fact.details}</p>
${
  f.changes?.length
    ? html`<h2>Changes</h2><ul>${f.changes.map((c) => html`<li><strong>${c.on ?? `Kubernetes ${c.version}`}</strong>: ${c.what}${c.replaced_by ? ` (replaced by ${c.replaced_by})` : ''}</li>`)}</ul>`
    : ''
}
<h2>Sources</h2>
<ol>${sources.map((s) => html`<li><a href="${s.url}" rel="noopener">${s.title}</a><span class="meta"> checked ${s.checked}</span></li>`)}</ol>
<h2>History</h2>
${
  history.length
    ? html`<ol>${history.map((h) => html`<li>${h.at}: ${h.action} by ${h.actor} (revision ${h.revision})</li>`)}</ol>`
    : html`<p>Unchanged since it was loaded from the seed files.</p>`
}
<p class="meta">JSON: <a href="/v1/facts/${encodeURIComponent(fact.id)}">/v1/facts/${encodeURIComponent(fact.id)}</a> · embed: <code>/embed/fact/${fact.id.replace('#', '%23')}</code></p>`;
}

export function datasetPage(dataset: Dataset): Html {
  const s = dataset.staleness;
  return html`<h1>Freshness of the knowledge</h1>
<dl class="fact-meta">
<dt>Version</dt><dd><code>${dataset.version}</code></dd>
<dt>Built</dt><dd>${dataset.built_at}</dd>
<dt>Counts</dt><dd>${dataset.counts.topics} topics, ${dataset.counts.dimensions} dimensions, ${dataset.counts.facts} facts, ${dataset.counts.sources} sources</dd>
<dt>Oldest verified</dt><dd>${s.oldest_verified ?? '—'}</dd>
</dl>
<h2>Stale facts (${s.stale_facts}, not re-checked for ${s.threshold_days} days)</h2>
${
  s.stale.length
    ? html`<table><thead><tr><th scope="col">Fact</th><th scope="col">Verified</th></tr></thead><tbody>${s.stale.map(
        (x) => html`<tr><td><a href="${factLink(x.id)}">${x.id}</a></td><td>${x.verified}</td></tr>`,
      )}</tbody></table>`
    : html`<p>None: every fact was checked within ${s.threshold_days} days.</p>`
}`;
}

export function errorPage(status: number, message: string): Html {
  return html`<h1>${status === 404 ? 'Not found' : 'That did not work'}</h1><div class="error" role="alert"><p>${message}</p></div><p><a href="/">All topics</a></p>`;
}

export function explorerPage(): Html {
  return html`<h1>GraphQL explorer</h1>
<p class="lead">Runs queries against <code>/graphql</code> on this service. The schema is in <a href="/graphql?query=%7B__schema%7BqueryType%7Bname%7D%7D%7D">introspection</a>; see also the REST <a href="/docs">API docs</a>.</p>
<form id="explorer" class="explorer">
<label for="query">Query</label>
<textarea id="query" name="query" spellcheck="false">{
  compare(topic: "dns", providers: ["aws", "gcp"]) {
    rows { dimension { title } differs }
  }
}</textarea>
<label for="variables">Variables (JSON)</label>
<textarea id="variables" name="variables" spellcheck="false" class="short"></textarea>
<button type="submit">Run</button>
</form>
<h2>Answer</h2>
<pre><output id="result" for="query" aria-live="polite">Press Run (this page needs JavaScript).</output></pre>
<h2>Root fields</h2>
<ul id="fields"></ul>`;
}
