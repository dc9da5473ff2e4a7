// <cloudiff-compare topic="dns" providers="aws,gcp" differs-only> — the comparison matrix of a topic, drawn from
// the Cloudiff API of the origin this script was loaded from (the embedding page's origin must be listed in the
// service's CORS_ORIGINS). Theme it with CSS custom properties on the element or any ancestor:
// --cloudiff-font, --cloudiff-fg, --cloudiff-bg, --cloudiff-muted, --cloudiff-border, --cloudiff-accent,
// --cloudiff-header-bg.
(() => {
  const script = document.currentScript;
  const base = script ? new URL(script.src).origin : location.origin;
  const STYLE = `
    :host { display: block; font: 14px/1.45 var(--cloudiff-font, system-ui, sans-serif); color: var(--cloudiff-fg, #1b1f24);
      background: var(--cloudiff-bg, transparent); }
    .wrap { overflow: auto; border: 1px solid var(--cloudiff-border, #d0d7de); border-radius: 6px; }
    table { border-collapse: collapse; width: 100%; }
    caption { text-align: left; font-weight: 700; padding: .5rem .6rem; }
    th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-top: 1px solid var(--cloudiff-border, #d0d7de); }
    thead th { background: var(--cloudiff-header-bg, #f6f8fa); }
    .q, .v { color: var(--cloudiff-muted, #57606a); font-size: .85em; }
    .b { font-size: .75em; font-weight: 600; border: 1px solid currentColor; border-radius: 3px; padding: 0 .3rem; margin-left: .25rem; }
    a { color: var(--cloudiff-accent, #0b5cad); }
    p.e { margin: .5rem; }`;

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  class CloudiffCompare extends HTMLElement {
    static get observedAttributes() {
      return ['topic', 'providers', 'differs-only'];
    }
    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
    }
    connectedCallback() {
      this.load();
    }
    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }
    async load() {
      const topic = this.getAttribute('topic');
      if (!topic) return this.show('<p class="e">Set the topic attribute, e.g. topic="dns".</p>');
      const url = new URL('/v1/compare', base);
      url.searchParams.set('topic', topic);
      const providers = this.getAttribute('providers');
      if (providers) url.searchParams.set('providers', providers);
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        const body = await res.json();
        if (!res.ok) return this.show(`<p class="e">${esc(body.message ?? res.statusText)}</p>`);
        this.render(body);
      } catch (err) {
        this.show(`<p class="e">Cloudiff could not be reached (${esc(err.message)}).</p>`);
      }
    }
    render(data) {
      const differsOnly = this.hasAttribute('differs-only');
      const rows = data.rows.filter((r) => !differsOnly || r.differs !== false);
      const head = data.providers.map((p) => `<th scope="col">${esc(p)}</th>`).join('');
      const body = rows
        .map((r) => {
          const cells = data.providers
            .map((p) => {
              const facts = r.cells[p] ?? [];
              const items = facts
                .map((f) => {
                  const status = f.status && f.status !== 'ga' ? `<span class="b">${esc(f.status)}</span>` : '';
                  const variant = f.variant ? `<div class="v">${esc(f.variant)}${f.default ? ' (default)' : ''}</div>` : '';
                  const links = f.sources
                    .map(
                      (s, i) => `<a href="${esc(s.url)}" target="_blank" rel="noopener" title="${esc(s.title)}">[${i + 1}]</a>`,
                    )
                    .join(' ');
                  return `<div>${variant}${esc(f.value)}${status} ${links}</div>`;
                })
                .join('');
              return `<td>${items}</td>`;
            })
            .join('');
          return `<tr><th scope="row">${esc(r.dimension.title)}<div class="q">${esc(r.dimension.question)}</div></th>${cells}</tr>`;
        })
        .join('');
      const link = new URL(`/topics/${encodeURIComponent(data.topic.slug)}`, base);
      this.show(
        `<div class="wrap"><table><caption><a href="${esc(link)}" target="_blank" rel="noopener">${esc(data.topic.title)}</a></caption>` +
          `<thead><tr><th scope="col">Dimension</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`,
      );
    }
    show(content) {
      this.shadowRoot.innerHTML = `<style>${STYLE}</style>${content}`;
    }
  }
  if (!customElements.get('cloudiff-compare')) customElements.define('cloudiff-compare', CloudiffCompare);
})();
