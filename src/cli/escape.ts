/**
 * Terminal safety for everything the CLI prints. Stored text (values, details, source titles, URLs, snippets)
 * and whatever a server named by --url sends may hold control characters: ESC sequences clear the screen, set
 * the window title or draw OSC 8 links, CR and BS overwrite what was printed, bidi overrides reorder a line.
 * Each such character is printed as a visible escape instead, so a reader sees it and the terminal never runs it.
 */

/**
 * Control characters (C0 but tab and newline, DEL, C1), format characters (Unicode category Cf: bidi
 * embeddings, overrides and isolates, zero-width spaces and joiners, the BOM, soft hyphen …) and the line and
 * paragraph separators. Tab and newline stay: the layout uses them and they cannot hide or reorder text.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/**
 * The one escaping function of the CLI's output. `text` (tables, plain lines, stderr): `\x1b`, `\u202e`,
 * `\u{e0041}`. `json` (inside JSON text): `\u001b`-style escapes, one per UTF-16 unit, so the output stays
 * valid JSON and parses to the same strings. Idempotent: an escape is printable ASCII.
 */
export function escapeControls(text: string, form: 'text' | 'json' = 'text'): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0) as number;
    if (form === 'json') {
      return Array.from({ length: c.length }, (_, i) => `\\u${hex(c.charCodeAt(i), 4)}`).join('');
    }
    if (code <= 0xff) return `\\x${hex(code, 2)}`;
    return code <= 0xffff ? `\\u${hex(code, 4)}` : `\\u{${hex(code, 1)}}`;
  });
}

/** Every string of an API object (keys too: a server chooses them) escaped, before tables measure widths. */
export function escapeDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map(escapeDeep) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeControls(k), escapeDeep(v)])) as T;
  }
  return value;
}

/** JSON for a terminal: JSON.stringify escapes C0 controls; this also escapes the others, still valid JSON. */
export function safeJson(value: unknown): string {
  return escapeControls(JSON.stringify(value, null, 2), 'json');
}
