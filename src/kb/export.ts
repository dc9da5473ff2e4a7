import type { Fact } from '../domain/api.js';
import type { Kb } from './kb.js';

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRow extends Fact {
  topic_title: string;
  dimension_title: string;
}

/** Facts (the whole dataset by default) with the titles of their topic and dimension, for export. */
export function exportRows(kb: Kb, facts?: readonly Fact[]): ExportRow[] {
  const snap = kb.snapshot();
  return (facts ?? snap.facts).map((f) => {
    const dim = snap.dimensionByKey.get(`${f.topic}/${f.dimension}`);
    return { ...f, topic_title: snap.topicBySlug.get(f.topic)?.title ?? f.topic, dimension_title: dim?.title ?? f.dimension };
  });
}

const CSV_COLUMNS = [
  'id',
  'provider',
  'topic',
  'topic_title',
  'dimension',
  'dimension_title',
  'variant',
  'default',
  'value',
  'details',
  'sources',
  'verified',
  'confidence',
  'tags',
  // seed v2 columns, after the first ones so that readers by position keep working
  'status',
  'key',
] as const;

/**
 * A cell a spreadsheet would run as a formula: one that starts with =, +, - or @, also behind control, invisible
 * (zero-width, bidi, BOM) or space characters a spreadsheet may skip, or that starts with a tab or CR.
 */
const FORMULA = /^(?:[\p{Cc}\p{Cf}\p{Z}\s]*[=+\-@]|[\t\r])/u;

function csvCell(value: string): string {
  // prefixed with a quote, the cell is text
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The whole dataset as text: one fact a row (a line in ndjson and csv; csv has a header row). */
export function exportText(kb: Kb, format: Exclude<ExportFormat, 'json'>): string {
  if (format === 'csv') return factsCsv(kb);
  const rows = exportRows(kb);
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/** Facts as CSV, one a row under a header row, formulas neutralised: the export's, and a filtered list's or matrix's. */
export function factsCsv(kb: Kb, facts?: readonly Fact[]): string {
  const rows = exportRows(kb, facts);
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
      ...r,
      variant: r.variant ?? '',
      default: String(r.default),
      sources: r.sources.map((s) => s.url).join(' '),
      tags: r.tags.join(' '),
      key: r.key === undefined ? '' : String(r.key),
    };
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
