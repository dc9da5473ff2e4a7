import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports run one way: domain <- db <- seed and kb <- the interfaces (http, graphql, mcp, cli, web) <- app.ts and
 * server.ts; config.ts is a leaf anything above db may read. Each rule below lists every import against it, as
 * `importer -> imported` (paths under src/).
 */

const SRC = resolve(import.meta.dirname, '../../src');
const INTERFACES = ['http', 'graphql', 'mcp', 'cli', 'web'] as const;
const ENTRY_POINTS = ['app.ts', 'server.ts'];

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

// static imports and re-exports (type-only ones too: they are dependencies all the same), bare imports, import()
const SPECIFIERS = [
  /\b(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Every import between two files of src/, as paths relative to src/ (`kb/admin.ts`). */
function importGraph(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const from = relative(SRC, file);
    for (const pattern of SPECIFIERS) {
      for (const [, spec] of text.matchAll(pattern)) {
        if (!spec?.startsWith('.')) continue;
        const target = relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
        edges.push({ from, to: target });
      }
    }
  }
  return edges;
}

/** The layer of a path under src/: its top folder, or the file itself at the top (`app.ts`, `config.ts`). */
const layer = (path: string) => path.split('/')[0] as string;
const isInterface = (l: string) => (INTERFACES as readonly string[]).includes(l);

const graph = importGraph();
const against = (rule: (fromLayer: string, toLayer: string) => boolean) =>
  graph.filter((e) => rule(layer(e.from), layer(e.to))).map((e) => `${e.from} -> ${e.to}`);

describe('the import graph of src/', () => {
  it('is read from the sources (the entry point reaches every interface)', () => {
    const fromApp = graph.filter((e) => e.from === 'app.ts').map((e) => layer(e.to));
    for (const l of ['http', 'graphql', 'mcp', 'kb', 'db']) expect(fromApp).toContain(l);
    expect(graph.length).toBeGreaterThan(100);
  });

  it('domain imports nothing but domain', () => {
    expect(against((f, t) => f === 'domain' && t !== 'domain')).toEqual([]);
  });

  it('db imports only domain', () => {
    expect(against((f, t) => f === 'db' && !['domain', 'db'].includes(t))).toEqual([]);
  });

  it('seed imports only domain and db (not kb), and config for its commands', () => {
    expect(against((f, t) => f === 'seed' && !['domain', 'db', 'seed', 'config.ts'].includes(t))).toEqual([]);
  });

  it('kb imports only domain and db (not seed, no interface)', () => {
    expect(against((f, t) => f === 'kb' && !['domain', 'db', 'kb'].includes(t))).toEqual([]);
  });

  it('no interface imports another interface', () => {
    expect(against((f, t) => isInterface(f) && isInterface(t) && f !== t)).toEqual([]);
  });

  it('nothing imports the entry points (app.ts, server.ts)', () => {
    expect(graph.filter((e) => ENTRY_POINTS.includes(e.to) && e.from !== 'server.ts').map((e) => `${e.from} -> ${e.to}`)).toEqual(
      [],
    );
  });

  it('config (environment to typed settings) imports nothing of src/', () => {
    expect(against((f) => f === 'config.ts')).toEqual([]);
  });
});
