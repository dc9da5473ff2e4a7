/**
 * Server-side HTML with escaping by default: every interpolated value is escaped for text and attribute
 * contexts unless it is already `Html` (the output of another template). A 40-line tagged template is all the
 * views need, so the UI takes no templating dependency.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/**
 * A search snippet: HTML-escaped text in which only `<mark>` and `</mark>` are markup. Anything else that looks
 * like a tag is escaped again, so stored text can never become markup even if a snippet arrives unescaped.
 */
export function snippetHtml(snippet: string): Html {
  return new Html(
    snippet
      .split(/(<\/?mark>)/)
      .map((part) => (part === '<mark>' || part === '</mark>' ? part : part.replace(/[<>"']/g, (c) => ESCAPES[c]!)))
      .join(''),
  );
}
