import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SEED, fixtureApp, REAL_SEED, tempDir } from '../helpers/app.js';
import { freePort } from '../helpers/server.js';
import { BIN, type CliRun, cliEnv, runBin, runMain } from './helpers.js';

let app: FastifyInstance;
let url: string;
let dir: string;
let env: NodeJS.ProcessEnv;

/** The REST answer the CLI's --json output must equal. */
async function rest(path: string): Promise<unknown> {
  const res = await app.inject({ method: 'GET', url: path });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const URLS = {
  eksCoreDns: 'https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html',
  gkeKubeDns: 'https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns',
  gkeCloudDns: 'https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns',
};

beforeAll(async () => {
  app = await fixtureApp();
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  dir = tempDir('cloudiff-cli-');
  env = cliEnv(dir, FIXTURE_SEED);
});

afterAll(async () => {
  await app?.close();
});

describe('bin/cloudiff.js (subprocess, from another working directory)', () => {
  let first: CliRun;
  let runs: Record<string, CliRun>;

  beforeAll(async () => {
    // the first run creates the database; the others share it and run side by side
    first = await runBin(['topics', '--json'], env, dir);
    const cases: Record<string, string[]> = {
      compareTable: ['compare', 'dns', '--providers', 'aws,gke'],
      unknownFact: ['fact', 'gcp/dns/nope'],
      badProvider: ['compare', 'dns', '--providers', 'aws,oracle'],
      remoteJson: ['compare', 'dns', '--json', '--url', url],
      unreachable: ['topics', '--url', `http://127.0.0.1:${await freePort()}`],
    };
    const entries = await Promise.all(Object.entries(cases).map(async ([k, args]) => [k, await runBin(args, env, dir)] as const));
    runs = Object.fromEntries(entries);
  });

  it('creates and seeds a missing database from SEED_DIR, says so on stderr, and answers', async () => {
    expect(first.stderr).toMatch(/^cloudiff: created .*cloudiff\.sqlite from .*fixtures\/seed \(dataset [0-9a-f]+\)\n$/);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual(await rest('/v1/topics'));
    expect(existsSync(env.DB_PATH as string)).toBe(true);
  });

  it('prints compare as a table with the values and the source URLs, exit 0', () => {
    const { code, stdout, stderr } = runs.compareTable as CliRun;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^DIMENSION +DIFFERS +AWS +GCP$/m);
    expect(stdout).toMatch(
      /^Cluster DNS server +n\/a \(medium\) +CoreDNS as an EKS add-on \[1\] +- kube-dns \(default\) \[2\]$/m,
    );
    expect(stdout).toMatch(/^ {20,}- Cloud DNS \(Cloud DNS for GKE\) \[3\]$/m);
    expect(stdout).toContain(`[1] ${URLS.eksCoreDns} — Manage CoreDNS`);
    expect(stdout).toContain(`[2] ${URLS.gkeKubeDns}`);
    expect(stdout).toContain(`[3] ${URLS.gkeCloudDns}`);
    expect(stdout).not.toContain('AZURE');
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('exits 1 naming an unknown fact id', () => {
    const { code, stdout, stderr } = runs.unknownFact as CliRun;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('cloudiff: fact "gcp/dns/nope" not found; ids look like gcp/ip-allocation/per-node-pod-range\n');
  });

  it('exits 2 naming an unknown provider', () => {
    const { code, stderr } = runs.badProvider as CliRun;
    expect(code).toBe(2);
    expect(stderr).toContain('cloudiff: providers: unknown provider "oracle"; use one of aws, azure, gcp');
  });

  it('with --url answers from the server: --json is the REST object', async () => {
    const { code, stdout } = runs.remoteJson as CliRun;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(await rest('/v1/compare?topic=dns'));
  });

  it('exits 3 with a clear message when the server cannot be reached', () => {
    const { code, stderr } = runs.unreachable as CliRun;
    expect(code).toBe(3);
    expect(stderr).toMatch(/^cloudiff: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  });
});

describe('cloudiff commands (in-process, local database and --url)', () => {
  // the same command line against the local database and against the server gives the same output
  async function both(args: string[]): Promise<CliRun> {
    const local = await runMain(args, env);
    const remote = await runMain([...args, '--url', url], env);
    expect(remote).toEqual(local);
    return local;
  }

  it('compare --json equals GET /v1/compare', async () => {
    const run = await both(['compare', 'dns', '--providers', 'aws,gcp', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(await rest('/v1/compare?topic=dns&providers=aws,gcp'));
  });

  it('compare exits 1 naming an unknown topic and the valid ones', async () => {
    const run = await both(['compare', 'nope']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cloudiff: topic: unknown topic "nope"; use one of dns, load-balancing\n',
    });
  });

  it('diff --json equals GET /v1/diff, and the table carries the migration notes and sources', async () => {
    const json = await both(['diff', '--from', 'aws', '--to', 'gcp', '--topic', 'dns', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(await rest('/v1/diff?from=aws&to=gcp&topic=dns'));
    const table = await both(['diff', '--from', 'eks', '--to', 'gke']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Moving from aws to gcp: 2 differences (1 critical, 1 medium)');
    expect(table.stdout).toMatch(/^critical +Load balancing: Default load/m);
    expect(table.stdout).toContain('- dns/cluster-dns-server: Move Corefile stub domains to the kube-dns ConfigMap.');
    expect(table.stdout).toContain(URLS.gkeCloudDns);
  });

  it('diff exits 2 when --to is missing or names the same provider', async () => {
    const missing = await runMain(['diff', '--from', 'aws'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--from and --to are required');
    const same = await both(['diff', '--from', 'aws', '--to', 'eks']);
    expect(same.code).toBe(2);
    expect(same.stderr).toBe('cloudiff: to: must differ from "from" (both are aws)\n');
  });

  it('search --json equals GET /v1/search; the table shows plain snippets and fact sources', async () => {
    const json = await both(['search', 'ndots', '--provider', 'gcp', '--limit', '3', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(await rest('/v1/search?q=ndots&provider=gcp&limit=3'));
    const table = await both(['search', 'core', 'dns']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^1 +\S+ +/m);
    expect(table.stdout).not.toContain('<mark>');
    expect(table.stdout).toContain(URLS.eksCoreDns);
  });

  it('search exits 1 when nothing matches and 2 on a bad --limit', async () => {
    const none = await both(['search', 'zzyzx']);
    expect(none).toEqual({ code: 1, stdout: expect.stringContaining('0 results'), stderr: 'no results for "zzyzx"\n' });
    const limit = await runMain(['search', 'dns', '--limit', '0'], env);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit: must be an integer from 1 to 50, got "0"');
  });

  it('timeline --json equals GET /v1/timeline; a bad date exits 2 naming the parameter', async () => {
    const json = await both(['timeline', '--from', '2027-01-01', '--provider', 'gke', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(await rest('/v1/timeline?from=2027-01-01&provider=gke'));
    const table = await both(['timeline', '--from', '2027-01-01', '--to', '2027-06-30']);
    expect(table.stdout).toContain('0 dated changes from 2027-01-01 to 2027-06-30');
    const bad = await both(['timeline', '--to', '2027-13-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('cloudiff: to: must be an ISO date (YYYY-MM-DD), got "2027-13-01"\n');
  });

  it('fact prints the fact with its sources; --json equals GET /v1/facts/{id}', async () => {
    const id = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';
    const table = await both(['fact', id]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^value +Cloud DNS$/m);
    expect(table.stdout).toMatch(/^status +ga$/m);
    expect(table.stdout).toContain(`- ${URLS.gkeCloudDns} — Using Cloud DNS for GKE`);
    const json = await both(['fact', id, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(await rest(`/v1/facts/${encodeURIComponent(id)}`));
  });

  it('topics prints every topic with its counts', async () => {
    const run = await both(['topics']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dns +DNS +2 +7 +How pods resolve names on each cloud\.$/m);
    expect(run.stdout).toMatch(/^load-balancing +Load balancing +1 +3 /m);
  });

  it('ask --json equals GET /v1/ask; the table shows the answer, the rows and the citations', async () => {
    const q = 'which load balancer does AKS create for a Service?';
    const json = await both(['ask', q, '--json']);
    expect(json.code).toBe(0);
    const body = (await rest(`/v1/ask?q=${encodeURIComponent(q)}&detail=full`)) as { citations: { url: string }[] };
    expect(JSON.parse(json.stdout)).toEqual(body);
    const table = await both(['ask', 'which', 'load', 'balancer', 'does', 'AKS', 'create', 'for', 'a', 'Service?']);
    expect(table.stdout).toContain('Standard SKU Azure Load Balancer');
    expect(table.stdout).toMatch(/^DIMENSION +DIFFERS +AZURE +AWS +GCP$/m);
    for (const c of body.citations) expect(table.stdout).toContain(c.url);
  });

  it('ask exits 1 with the suggested topics when nothing matches', async () => {
    const run = await both(['ask', 'zzyzx qwerty']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No facts match this question');
    expect(run.stderr).toContain('Topics: dns, load-balancing.');
  });

  it('exits 2 on an unknown command, an unknown flag or a missing argument', async () => {
    const cases: [string[], string][] = [
      [['frobnicate'], 'unknown command "frobnicate"; commands: ask, compare, diff, search, fact, topics, timeline, help'],
      [['compare', 'dns', '--bogus'], "Unknown option '--bogus'"],
      [['search', 'dns', '--providers', 'aws'], "Unknown option '--providers'"],
      [['compare'], 'missing topic; usage: cloudiff compare <topic>'],
      [['fact'], 'missing fact id'],
      [['ask'], 'missing question'],
      [['compare', 'dns', 'extra'], 'expected one topic, got 2: dns extra'],
      [['compare', 'dns', '--url', 'ftp://example.com'], '--url: must be an http or https URL'],
    ];
    for (const [args, message] of cases) {
      const run = await runMain(args, env);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toContain(message);
    }
  });

  it('prints help for all commands and for one, exit 0; no command at all is a usage error', async () => {
    const help = await runMain(['--help'], env);
    expect(help.code).toBe(0);
    for (const name of ['ask', 'compare', 'diff', 'search', 'fact', 'topics'])
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const compareHelp = await runMain(['compare', '--help'], env);
    expect(compareHelp.code).toBe(0);
    expect(compareHelp.stdout).toContain('Usage: cloudiff compare <topic> [--providers aws,gcp]');
    expect((await runMain(['help', 'compare'], env)).stdout).toBe(compareHelp.stdout);
    const bare = await runMain([], env);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage: cloudiff <command>');
  });

  it('wraps tables to the terminal width', async () => {
    const run = await runMain(['compare', 'load-balancing'], { ...env, COLUMNS: '60' });
    const lines = run.stdout.split('\n').filter((l) => !l.startsWith('['));
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(run.stdout).toContain('Passthrough');
  });
});

describe('bin/cloudiff.js into a pipe the reader closes (`cloudiff diff --from aws --to gcp | head -c 1`)', () => {
  it('exits 0 quietly, no stack trace', async () => {
    // the real seed: its answer is larger than a pipe's buffer, so the write is still under way when head exits
    const realEnv = cliEnv(tempDir('cloudiff-cli-pipe-'), REAL_SEED, { NODE: process.execPath, BIN });
    await runMain(['topics'], realEnv); // creates the database, so the run prints no notice
    const script = '"$NODE" "$BIN" diff --from aws --to gcp | head -c 1 >/dev/null; echo "exit $PIPESTATUS"';
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], { cwd: dir, env: realEnv });
    expect({ stdout, stderr }).toEqual({ stdout: 'exit 0\n', stderr: '' });
  });
});
