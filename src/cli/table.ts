/** Plain-text layout for terminals: word wrapping and aligned, width-bounded tables. */

const GAP = '  ';
/** A column is never squeezed below this (a word of this length still fits). */
const MIN_COLUMN = 8;

/** Wraps text to `width` columns at spaces; a word longer than a line is broken. Keeps explicit newlines. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (word.length > w) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(word.slice(0, w));
        word = word.slice(w);
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= w) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/** Text wrapped to `width` with every line after the first indented (for `key  value` and list items). */
export function hanging(first: string, text: string, width: number): string {
  const pad = ' '.repeat(first.length);
  return wrap(text, width - first.length)
    .map((l, i) => (i === 0 ? first : pad) + l)
    .join('\n');
}

function truncate(lines: string[], width: number, max: number | undefined): string[] {
  if (max === undefined || lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  const last = kept[max - 1] as string;
  kept[max - 1] = `${last.length < width ? last : last.slice(0, width - 1).trimEnd()}…`;
  return kept;
}

/**
 * An aligned table no wider than `width`: columns start at their natural width and the widest is narrowed
 * until the table fits; cells wrap inside their column.
 */
export function table(
  headers: readonly string[] | null,
  rows: readonly (readonly string[])[],
  width: number,
  /** per column: at most this many lines, the last one ending in `…` when cut */
  maxLines: Readonly<Record<number, number>> = {},
): string {
  const columns = headers?.length ?? rows[0]?.length ?? 0;
  if (columns === 0) return '';
  const natural = Array.from({ length: columns }, (_, c) =>
    Math.max(
      headers ? (headers[c] ?? '').length : 0,
      ...rows.map((r) => Math.max(...(r[c] ?? '').split('\n').map((l) => l.length))),
    ),
  );
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns - 1);
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] as number) <= MIN_COLUMN) break;
    widths[widest] = (widths[widest] as number) - 1;
  }
  const renderRow = (cells: readonly string[]) => {
    const wrapped = widths.map((w, c) => truncate(wrap(cells[c] ?? '', w), w, maxLines[c]));
    const height = Math.max(...wrapped.map((l) => l.length));
    const lines: string[] = [];
    for (let i = 0; i < height; i++) {
      lines.push(
        wrapped
          .map((l, c) => (c === columns - 1 ? (l[i] ?? '') : (l[i] ?? '').padEnd(widths[c] as number)))
          .join(GAP)
          .trimEnd(),
      );
    }
    return lines;
  };
  const body = rows.map(renderRow);
  // key/value lists (no headers) read fine packed; a grid with wrapped cells needs air between rows
  const spaced = headers !== null && body.some((lines) => lines.length > 1);
  const out: string[] = [];
  if (headers) {
    out.push(...renderRow(headers));
    out.push(widths.map((w) => '-'.repeat(w)).join(GAP));
  }
  body.forEach((lines, i) => {
    if (spaced && i > 0) out.push('');
    out.push(...lines);
  });
  return out.join('\n');
}
