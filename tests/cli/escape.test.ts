import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/cli/escape.js';
import { FIXTURE_SEED, fixtureApp, seededDb, tempDir } from '../helpers/app.js';
import { type CliRun, cliEnv, runMain } from './helpers.js';

/** What a hostile writer stores: set the title, clear the screen, overwrite, C1 CSI, bidi override, hidden text. */
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\b\u0000\r\u009b31m\u202eevil\u2066x\u2069\u200b\u2028end\u00ad';
/** Characters a terminal acts on or that reorder or hide text; none may reach stdout or stderr raw. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/u;
/** The same for fields the seed keeps to one line (values, titles): no CR, no line separator. */
const HOSTILE_LINE = HOSTILE.replace('\r', '').replace('\u2028', '');

let app: FastifyInstance;
let url: string;
let env: NodeJS.ProcessEnv;
let seedDir: string;

/** The fixture seed with hostile text in a topic summary, a fact's value and details, and a source title. */
function hostileSeed(): string {
  const dir = tempDir('cloudiff-hostile-seed-');
  cpSync(FIXTURE_SEED, dir, { recursive: true });
  const file = join(dir, 'dns.yaml');
  const q = (s: string) => JSON.stringify(s); // a JSON string is a YAML double-quoted scalar
  const yaml = readFileSync(file, 'utf8')
    .replace('summary: How pods resolve names on each cloud.', `summary: ${q(`How pods resolve names ${HOSTILE}`)}`)
    .replace('- value: CoreDNS as an EKS add-on', `- value: ${q(`CoreDNS ${HOSTILE_LINE}`)}`)
    .replace('details: EKS installs CoreDNS as a managed add-on.', `details: ${q(`EKS installs ${HOSTILE}`)}`)
    .replace('title: Manage CoreDNS', `title: ${q(`Manage ${HOSTILE_LINE}`)}`);
  writeFileSync(file, yaml);
  return dir;
}

beforeAll(async () => {
  seedDir = hostileSeed();
  app = await fixtureApp({}, seededDb(seedDir));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  env = cliEnv(tempDir('cloudiff-cli-escape-'), seedDir);
  await runMain(['topics'], env); // creates the local database, so later runs print no notice
});

afterAll(async () => {
  await app?.close();
});

function expectSafe(run: CliRun): void {
  expect(run.stdout).not.toMatch(RAW);
  expect(run.stderr).not.toMatch(RAW);
}

describe('escapeControls', () => {
  it('prints control, C1, bidi and invisible format characters as visible escapes, keeping tab and newline', () => {
    expect(escapeControls(HOSTILE)).toBe(
      '\\x1b]0;pwned\\x07\\x1b[2J\\x08\\x00\\x0d\\x9b31m\\u202eevil\\u2066x\\u2069\\u200b\\u2028end\\xad',
    );
    expect(escapeControls('a\tb\nc — ü 日本 😀')).toBe('a\tb\nc — ü 日本 😀');
    expect(escapeControls('\u{e0041}\u007f\ufeff')).toBe('\\u{e0041}\\x7f\\ufeff');
    expect(escapeControls(escapeControls(HOSTILE))).toBe(escapeControls(HOSTILE));
  });

  it('in JSON form writes \\u escapes that parse back to the same string', () => {
    const json = escapeControls(JSON.stringify({ v: `${HOSTILE}\u{e0041}` }), 'json');
    expect(json).not.toMatch(RAW);
    expect(JSON.parse(json)).toEqual({ v: `${HOSTILE}\u{e0041}` });
  });
});

describe('cloudiff output of hostile stored text (local database and --url)', () => {
  async function both(args: string[]): Promise<CliRun> {
    const local = await runMain(args, env);
    const remote = await runMain([...args, '--url', url], env);
    expect(remote).toEqual(local);
    expectSafe(local);
    return local;
  }

  it.each([
    ['topics', ['topics']],
    ['compare', ['compare', 'dns']],
    ['fact', ['fact', 'aws/dns/cluster-dns-server']],
    ['search', ['search', 'coredns']],
    ['ask', ['ask', 'which dns server does EKS run?']],
    ['diff', ['diff', '--from', 'aws', '--to', 'gcp']],
  ])('%s prints the hostile text as visible escapes', async (_, args) => {
    const run = await both(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(run.stdout).toContain('\\u202eevil');
  });

  it('fact prints value, details and the source title escaped, the table still within the width', async () => {
    const run = await both(['fact', 'aws/dns/cluster-dns-server']);
    expect(run.stdout).toMatch(/^value +CoreDNS \\x1b\]0;pwned/m);
    expect(run.stdout).toMatch(/^details +EKS installs\n +\\x1b]0;pwned/m);
    expect(run.stdout).toMatch(/— Manage\n +\\x1b\]0;pwned/);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--json stays the REST object, with C1, bidi and separators as \\u escapes', async () => {
    const run = await both(['fact', 'aws/dns/cluster-dns-server', '--json']);
    const body = JSON.parse(run.stdout) as { value: string; details: string; sources: { title: string }[] };
    expect(body).toEqual((await app.inject({ method: 'GET', url: '/v1/facts/aws%2Fdns%2Fcluster-dns-server' })).json());
    expect(body.value).toBe(`CoreDNS ${HOSTILE_LINE}`);
    expect(body.details).toBe(`EKS installs ${HOSTILE}`);
    expect(run.stdout).toContain('\\u009b31m\\u202eevil\\u2066x\\u2069\\u200b\\u2028end');
  });
});

describe('cloudiff output of a hostile server (--url)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/v1/topics')) {
        res.end(
          JSON.stringify({
            items: [{ slug: `dns${HOSTILE}`, title: HOSTILE, summary: HOSTILE, aliases: [], dimension_count: 1, fact_count: 1 }],
          }),
        );
      } else if (req.url?.startsWith('/v1/search')) {
        const snippet = 'a &#27;]8;;https://evil.example&#7;click&#27;]8;;&#7; b';
        res.end(JSON.stringify({ query: HOSTILE, items: [{ id: HOSTILE, kind: 'topic', title: HOSTILE, snippet }] }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: `fact not found ${HOSTILE}` }));
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server?.close();
  });

  it('escapes every field it sends, and HTML entities of snippets after decoding', async () => {
    const topics = await runMain(['topics', '--url', base], env);
    expect(topics.code).toBe(0);
    expectSafe(topics);
    expect(topics.stdout).toContain('\\x1b]0;pwned');
    const search = await runMain(['search', 'x', '--url', base], env);
    expectSafe(search);
    expect(search.stdout).toContain('\\x1b]8;;https://evil.example\\x07click');
  });

  it('escapes the messages it sends on stderr', async () => {
    const run = await runMain(['fact', 'aws/dns/x', '--url', base], env);
    expect(run.code).toBe(1);
    expectSafe(run);
    expect(run.stderr).toContain('fact not found \\x1b]0;pwned');
  });
});
