import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node, parseDocument, Scalar, visit } from 'yaml';
import type { z } from 'zod';
import { loadConfig } from '../config.js';
import { readDimensions, readProviders, readTopics } from '../db/catalog.js';
import { type Db, openDb, readTransaction } from '../db/connection.js';
import { readFacts } from '../db/facts.js';
import { lastRevisionId, markExported, readUnexported } from '../db/revisions.js';
import type { Fact } from '../domain/api.js';
import {
  PROVIDER_SLUGS,
  type ProviderSlug,
  type SeedFact,
  type SeedFactSchema,
  type SeedProvider,
  SeedProvidersFileSchema,
  type SeedTopic,
  SeedTopicSchema,
} from '../domain/seed.js';

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
const ONE_LINE_KEYS = new Set([
  'slug',
  'title',
  'question',
  'value',
  'variant',
  'url',
  'name',
  'checked',
  'confidence',
  'status',
  'on',
  'version',
]);
const FOLD_AFTER = 80;
/** Short lists written inline, as in the seed files. */
const FLOW_KEYS = new Set(['tags', 'modes', 'values']);

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

/** A topic and a fact as a seed file holds them (no derived `verified`). */
type TopicFile = z.input<typeof SeedTopicSchema>;
type FactFile = z.input<typeof SeedFactSchema>;

/** A fact as the seed writes it: the key order of the format, `default: true` only on the default of several facts. */
function canonicalFact(f: SeedFact, several: boolean): FactFile {
  const applies = f.applies && Object.keys(f.applies).length > 0 ? f.applies : undefined;
  return {
    ...(f.variant !== undefined ? { variant: f.variant } : {}),
    ...(several && f.default === true ? { default: true } : {}),
    value: f.value,
    ...(f.key !== undefined ? { key: f.key } : {}),
    status: f.status,
    ...(applies !== undefined ? { applies } : {}),
    ...(f.changes !== undefined ? { changes: f.changes } : {}),
    details: f.details,
    sources: f.sources.map((s) => ({ url: s.url, title: s.title, checked: s.checked })),
    confidence: f.confidence,
    tags: [...f.tags],
  };
}

/** A topic as the seed writes it (key order of the format, canonical cells). */
export function canonicalTopic(t: SeedTopic): TopicFile {
  const cell = (facts: SeedFact[]) => facts.map((f) => canonicalFact(f, facts.length > 1));
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
      ...(d.compare_by !== undefined ? { compare_by: d.compare_by } : {}),
      ...(d.unit !== undefined ? { unit: d.unit } : {}),
      ...(d.values !== undefined ? { values: [...d.values] } : {}),
      facts: { aws: cell(d.facts.aws), azure: cell(d.facts.azure), gcp: cell(d.facts.gcp) },
      divergence: {
        summary: d.divergence.summary,
        severity: d.divergence.severity,
        example: d.divergence.example,
        ...(Object.keys(d.divergence.migration).length > 0 ? { migration: { ...d.divergence.migration } } : {}),
      },
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
  return readTransaction(db, () => {
    const cells = new Map<string, Fact[]>();
    for (const fact of readFacts(db)) {
      const key = cellKey(fact.provider, `${fact.topic}/${fact.dimension}`);
      cells.set(key, [...(cells.get(key) ?? []), fact]);
    }
    const dims = readDimensions(db);
    const topics = readTopics(db).map(
      (t): SeedTopic => ({
        ...t,
        dimensions: dims
          .filter((d) => d.topic === t.slug)
          .map(({ key, topic: _topic, divergence, ...d }) => {
            const cell = (p: ProviderSlug) => cells.get(cellKey(p, key)) ?? [];
            return {
              ...d,
              facts: { aws: cell('aws'), azure: cell('azure'), gcp: cell('gcp') },
              divergence: {
                summary: divergence.summary,
                severity: divergence.severity,
                example: divergence.example,
                migration: Object.fromEntries(divergence.migration.map((m) => [m.direction, m.note])),
              },
            };
          }),
      }),
    );
    const editedCells = new Set(
      readUnexported(db).flatMap(({ before, after }) => {
        const fact = after ?? before;
        return fact ? [cellKey(fact.provider, `${fact.topic}/${fact.dimension}`)] : [];
      }),
    );
    return { providers: readProviders(db), topics, editedCells, lastRevision: lastRevisionId(db) };
  });
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
function renderTopic(topic: SeedTopic): string {
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
  const stored = canonicalTopic(topic);

  const edits: { start: number; end: number; text: string }[] = [];
  for (const { dimension, provider } of cells) {
    const index = expected.dimensions.findIndex((d) => d.slug === dimension);
    const dbDim = stored.dimensions.find((d) => d.slug === dimension);
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
  const exported = markExported(db, state.lastRevision);
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
