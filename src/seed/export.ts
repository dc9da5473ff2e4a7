import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node, parseDocument, Scalar, visit } from 'yaml';
import { loadConfig } from '../config.js';
import type { Db } from '../db/connection.js';
import { openDb } from '../db/connection.js';
import type { Fact } from '../domain/api.js';
import {
  PROVIDER_SLUGS,
  type ProviderSlug,
  type SeedFact,
  type SeedProvider,
  SeedProvidersFileSchema,
  type SeedTopic,
  SeedTopicSchema,
} from '../domain/seed.js';
import { factFromRow, json, readProviders, readSources } from '../kb/snapshot.js';

/**
 * `npm run export`: writes the database back to the seed files so admin edits are reviewed in git like any
 * other change. A topic file that exists is patched, not rewritten: only the cells (one provider of one
 * dimension) holding edits not yet exported are replaced, in place, so comments, line folding and any change
 * made to the file since it was loaded stay as they are. A file that does not exist is written whole. Then
 * the exported revisions are marked (unexported = 0), which lets the next start-up load the seed again.
 */

/** The seed files' layout: the key order of seed/README.md, long text folded at this width. */
const LINE_WIDTH = 110;
/** Fields that stay on one line; other text longer than FOLD_AFTER is written as a folded block (`>-`). */
const ONE_LINE_KEYS = new Set(['slug', 'title', 'question', 'value', 'variant', 'url', 'name', 'verified', 'confidence']);
const FOLD_AFTER = 80;
/** Short lists written inline, as in the seed files. */
const FLOW_KEYS = new Set(['tags']);

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface ExportResult {
  /** Files written (created or patched), relative names. */
  written: string[];
  /** Revisions marked exported. */
  exported: number;
}

type Row = Record<string, unknown>;

/** A cell as the seed writes it: `default: true` only on the default of several facts, key order of the format. */
export function canonicalCell(cell: readonly (SeedFact & { isDefault?: boolean })[]): SeedFact[] {
  return cell.map((f) => {
    const isDefault = f.isDefault ?? f.default === true;
    return {
      ...(f.variant !== undefined ? { variant: f.variant } : {}),
      ...(cell.length > 1 && isDefault ? { default: true } : {}),
      value: f.value,
      details: f.details,
      sources: f.sources.map((s) => ({ url: s.url, title: s.title })),
      verified: f.verified,
      confidence: f.confidence,
      tags: [...f.tags],
    };
  });
}

/** A topic as the seed writes it (key order of the format, canonical cells). */
export function canonicalTopic(t: SeedTopic): SeedTopic {
  return {
    slug: t.slug,
    title: t.title,
    summary: t.summary,
    aliases: [...t.aliases],
    dimensions: t.dimensions.map((d) => ({
      slug: d.slug,
      title: d.title,
      question: d.question,
      baseline: d.baseline,
      keywords: [...d.keywords],
      facts: { aws: canonicalCell(d.facts.aws), azure: canonicalCell(d.facts.azure), gcp: canonicalCell(d.facts.gcp) },
      divergence: {
        summary: d.divergence.summary,
        severity: d.divergence.severity,
        example: d.divergence.example,
        ...(Object.keys(d.divergence.migration ?? {}).length > 0 ? { migration: { ...d.divergence.migration } } : {}),
      } as SeedTopic['dimensions'][number]['divergence'],
    })),
  };
}

interface DbState {
  providers: SeedProvider[];
  topics: SeedTopic[];
  /** `provider|topic/dimension` of every cell with a change not yet exported. */
  editedCells: Set<string>;
  lastRevision: number;
}

const cellKey = (provider: string, dimensionKey: string) => `${provider}|${dimensionKey}`;

/** Everything the seed holds, read in one transaction so the files and the revisions marked agree. */
function readState(db: Db): DbState {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const providers = readProviders(sqlite);
    const sources = readSources(sqlite);
    const facts = new Map<string, Fact[]>();
    for (const r of sqlite.prepare('SELECT * FROM facts ORDER BY dimension_key, provider, position, id').all() as Row[]) {
      const key = cellKey(r.provider as string, r.dimension_key as string);
      const list = facts.get(key) ?? [];
      list.push(factFromRow(r, sources.get(r.id as string) ?? []));
      facts.set(key, list);
    }
    // rowid keeps the seed's order of the migration notes
    const notes = new Map<string, Record<string, string>>();
    for (const r of sqlite.prepare('SELECT * FROM migration_notes ORDER BY rowid').all() as Row[]) {
      const m = notes.get(r.dimension_key as string) ?? {};
      m[`${r.from_provider}->${r.to_provider}`] = r.note as string;
      notes.set(r.dimension_key as string, m);
    }
    const divergences = new Map((sqlite.prepare('SELECT * FROM divergences').all() as Row[]).map((r) => [r.dimension_key, r]));
    const dimStmt = sqlite.prepare('SELECT * FROM dimensions WHERE topic = ? ORDER BY position');
    const dims = (topic: unknown) => dimStmt.all(topic) as Row[];
    const topics = (sqlite.prepare('SELECT * FROM topics ORDER BY position').all() as Row[]).map(
      (t): SeedTopic =>
        canonicalTopic({
          slug: t.slug as string,
          title: t.title as string,
          summary: t.summary as string,
          aliases: json<string[]>(t.aliases),
          dimensions: dims(t.slug).map((d) => {
            const key = d.key as string;
            const div = divergences.get(key) ?? {};
            const cell = (p: ProviderSlug) => facts.get(cellKey(p, key)) ?? [];
            return {
              slug: d.slug as string,
              title: d.title as string,
              question: d.question as string,
              baseline: d.baseline as string,
              keywords: json<string[]>(d.keywords),
              facts: { aws: cell('aws'), azure: cell('azure'), gcp: cell('gcp') },
              divergence: {
                summary: div.summary as string,
                severity: div.severity as SeedTopic['dimensions'][number]['divergence']['severity'],
                example: div.example as string,
                migration: notes.get(key) ?? {},
              },
            };
          }),
        }),
    );
    const edited = sqlite
      .prepare(
        "SELECT DISTINCT coalesce(json_extract(after, '$.provider'), json_extract(before, '$.provider')) AS provider, " +
          "coalesce(json_extract(after, '$.topic'), json_extract(before, '$.topic')) || '/' || " +
          "coalesce(json_extract(after, '$.dimension'), json_extract(before, '$.dimension')) AS dim " +
          'FROM revisions WHERE unexported = 1 AND fact_id IS NOT NULL',
      )
      .all() as { provider: string; dim: string }[];
    const lastRevision = (sqlite.prepare('SELECT coalesce(max(id), 0) FROM revisions').pluck().get() as number) ?? 0;
    return { providers, topics, editedCells: new Set(edited.map((e) => cellKey(e.provider, e.dim))), lastRevision };
  })();
}

/** Seed layout for a value about to be written: long text folded, tags inline. */
function style(node: Node): Node {
  visit(node, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (isScalar(pair.value) && typeof pair.value.value === 'string') {
        const text = pair.value.value;
        if (!ONE_LINE_KEYS.has(key) && (text.length > FOLD_AFTER || text.includes('\n'))) {
          pair.value.type = Scalar.BLOCK_FOLDED;
        }
      }
      if (isSeq(pair.value) && FLOW_KEYS.has(key)) pair.value.flow = true;
    },
  });
  return node;
}

function render(value: unknown, lineWidth = LINE_WIDTH): string {
  const doc = new Document(value);
  if (doc.contents) style(doc.contents);
  return doc.toString({ lineWidth, minContentWidth: 40, flowCollectionPadding: false });
}

/** The whole topic file, for a topic the directory does not have yet. */
export function renderTopic(topic: SeedTopic): string {
  return render(canonicalTopic(topic));
}

function renderProviders(providers: SeedProvider[]): string {
  const doc = new Document({ providers });
  if (doc.contents) style(doc.contents);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'aliases' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: LINE_WIDTH, flowCollectionPadding: false });
}

/**
 * Replaces the given cells of an existing topic file in place. Each cell is a block sequence under
 * `facts.<provider>`; its text is swapped for the rendered cell at the same indentation, from the end of the
 * file backwards so earlier offsets stay valid. The result is parsed again and must equal the file's topic
 * with exactly those cells replaced, or nothing is written.
 */
function patchTopicFile(
  file: string,
  text: string,
  topic: SeedTopic,
  cells: { dimension: string; provider: ProviderSlug }[],
): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ExportError(`${file}: cannot patch, the file does not parse: ${doc.errors[0]?.message}`);
  const parsed = SeedTopicSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new ExportError(`${file}: cannot patch, the file is not a valid topic (run npm run seed:check)`);
  const expected = canonicalTopic(parsed.data);

  const edits: { start: number; end: number; text: string }[] = [];
  for (const { dimension, provider } of cells) {
    const index = expected.dimensions.findIndex((d) => d.slug === dimension);
    const dbDim = topic.dimensions.find((d) => d.slug === dimension);
    const target = expected.dimensions[index];
    if (!target || !dbDim) {
      throw new ExportError(
        `${file}: dimension "${dimension}" holds admin edits of ${provider} but is no longer in the file; restore it or reseed with --discard-edits`,
      );
    }
    const cell = dbDim.facts[provider];
    target.facts[provider] = cell;
    const node = doc.getIn(['dimensions', index, 'facts', provider], true) as Node | undefined;
    if (!node?.range || !isSeq(node)) throw new ExportError(`${file}: dimensions[${index}].facts.${provider} is not a list`);
    const [start, end] = node.range;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const ownLine = text.slice(lineStart, start).trim() === '' || text.slice(lineStart, start).trim() === '-';
    const keyIndent = (() => {
      const keyNode = (doc.getIn(['dimensions', index, 'facts'], true) as Node & { items?: unknown[] }) ?? undefined;
      const pairStart = isMap(keyNode) ? (keyNode.range?.[0] ?? start) : start;
      return pairStart - (text.lastIndexOf('\n', pairStart - 1) + 1);
    })();
    const indent = ownLine ? start - lineStart : keyIndent + 2;
    const body = render(cell, Math.max(60, LINE_WIDTH - indent)).replace(/\n$/, '');
    const indented = body
      .split('\n')
      .map((line, i) => (i === 0 && ownLine ? line : line === '' ? line : ' '.repeat(indent) + line))
      .join('\n');
    edits.push({ start, end, text: ownLine ? indented : `\n${indented}` });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    const tail = out.slice(e.end);
    out = out.slice(0, e.start) + e.text + (tail.startsWith('\n') || tail === '' ? tail : `\n${tail}`);
  }
  const check = SeedTopicSchema.safeParse(parseDocument(out).toJS());
  if (!check.success || JSON.stringify(canonicalTopic(check.data)) !== JSON.stringify(expected)) {
    throw new ExportError(`${file}: patching the edited cells did not give the expected topic; nothing was written`);
  }
  return out;
}

/** Writes the database's topics to `dir` (see the module comment) and marks the exported revisions. */
export function exportSeed(db: Db, dir: string): ExportResult {
  const state = readState(db);
  mkdirSync(dir, { recursive: true });
  const outputs: { file: string; text: string }[] = [];

  const providersFile = join(dir, 'providers.yaml');
  if (!existsSync(providersFile)) {
    outputs.push({ file: 'providers.yaml', text: renderProviders(state.providers) });
  } else {
    SeedProvidersFileSchema.parse(parseDocument(readFileSync(providersFile, 'utf8')).toJS());
  }
  for (const topic of state.topics) {
    const file = `${topic.slug}.yaml`;
    const path = join(dir, file);
    if (!existsSync(path)) {
      outputs.push({ file, text: renderTopic(topic) });
      continue;
    }
    const cells: { dimension: string; provider: ProviderSlug }[] = [];
    for (const dim of topic.dimensions) {
      for (const provider of PROVIDER_SLUGS) {
        if (state.editedCells.has(cellKey(provider, `${topic.slug}/${dim.slug}`))) cells.push({ dimension: dim.slug, provider });
      }
    }
    if (cells.length === 0) continue;
    const before = readFileSync(path, 'utf8');
    const after = patchTopicFile(join(dir, file), before, topic, cells);
    if (after !== before) outputs.push({ file, text: after });
  }
  // every file is rendered and checked before the first one is written
  for (const o of outputs) writeFileSync(join(dir, o.file), o.text);
  const exported = db.$client
    .prepare('UPDATE revisions SET unexported = 0 WHERE unexported = 1 AND id <= ?')
    .run(state.lastRevision).changes;
  return { written: outputs.map((o) => o.file), exported };
}

// `npm run export [-- dir]`: DB_PATH -> SEED_DIR (or dir); then review `git diff seed/` and commit.
if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const dir = process.argv[2] ?? config.SEED_DIR;
  const db = openDb(config.DB_PATH);
  try {
    const { written, exported } = exportSeed(db, dir);
    console.log(
      written.length > 0
        ? `${dir}: wrote ${written.join(', ')} (${exported} revisions exported); review with git diff and commit`
        : `${dir}: already up to date (${exported} revisions marked exported)`,
    );
  } catch (err) {
    if (!(err instanceof ExportError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  } finally {
    db.$client.close();
  }
}
