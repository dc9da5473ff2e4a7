// `npm run bench [-- --smoke] [-- --scale 1,10,100]`: the service against a bare Fastify serving its own bytes.
// bench/README.md says what is measured and how to read it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { serverArgs } from '../scripts/server-command.mjs';
import { writeScaledSeed } from './scale.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    scale: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '50' },
  },
});
const SMOKE = args.smoke;
const CONNECTIONS = Number(args.connections);
/** Seconds per target in total, split over ROUNDS alternating rounds. */
const SECONDS = Number(args.duration ?? (SMOKE ? 2 : 10));
const ROUNDS = SMOKE ? 1 : 2;
const WARMUP = SMOKE ? 0.5 : 2;

interface Proc {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function start(args: string[], env: Record<string, string>): Proc & { port: number } {
  const port = freePort();
  let out = '';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => out };
}

/**
 * Starts the real server; the time to /ready is the cold start. On a fresh database (no `dbPath`) that is migrate,
 * seed, listen, as `npm start` on a fresh clone; on a database built ahead it is open, read the snapshot, listen.
 */
async function startService(seedDir: string, dbPath?: string): Promise<Proc & { coldStartMs: number; startedAt: number }> {
  const t0 = performance.now();
  const proc = start(serverArgs(), {
    DB_PATH: dbPath ?? join(mkdtempSync(join(tmpdir(), 'cloudiff-bench-')), 'bench.sqlite'),
    SEED_DIR: seedDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  await waitFor(`${proc.url}/ready`, proc.child, proc.output);
  return { ...proc, coldStartMs: Math.round(performance.now() - t0), startedAt: t0 };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

interface Target {
  name: string;
  proc: Proc;
  requests: autocannon.Request[];
}

interface Totals {
  requests: number;
  seconds: number;
  p50: number[];
  p99: number[];
  errors: number;
  non2xx: number;
  /** answers with a 2xx status */
  ok: number;
  rss: number;
}

function cannon(url: string, requests: autocannon.Request[], seconds: number): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, requests }, (err, result) => (err ? fail(err) : done(result)));
  });
}

/**
 * Waits until the server answers /health at once: when autocannon stops, up to 50 requests it sent are still
 * queued in the server (seconds of work for computed asks on a big seed), which would be charged to the next target.
 */
async function drain(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const t0 = performance.now();
    await fetch(`${url}/health`).catch(() => undefined);
    if (performance.now() - t0 < 20) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measure(targets: Target[]): Promise<Map<string, Totals>> {
  const totals = new Map<string, Totals>();
  for (const t of targets) {
    totals.set(t.name, { requests: 0, seconds: 0, p50: [], p99: [], errors: 0, non2xx: 0, ok: 0, rss: 0 });
    if (WARMUP > 0) await cannon(t.proc.url, t.requests, WARMUP);
    await drain(t.proc.url);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      const tot = totals.get(t.name) as Totals;
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(t.proc.child.pid));
      }, 250);
      const r = await cannon(t.proc.url, t.requests, SECONDS / ROUNDS);
      clearInterval(sampler);
      await drain(t.proc.url);
      tot.requests += r.requests.total;
      tot.seconds += r.duration;
      tot.p50.push(r.latency.p50);
      tot.p99.push(r.latency.p99);
      tot.errors += r.errors + r.timeouts;
      tot.non2xx += r.non2xx;
      tot.ok += r['2xx'];
      tot.rss = Math.max(tot.rss, peak, rssMb(t.proc.child.pid));
    }
  }
  return totals;
}

const SEARCHES = [
  'pod range exhaustion',
  'ndots',
  'standard sku load balancer',
  'workload identity',
  'private endpoint dns',
  'ipsec vpn tunnel bandwidth',
  'security groups for pods',
  'snat port exhaustion',
  'max pods per node',
  'coredns',
  'internal load balancer annotation',
  'container native load balancing',
  'kubenet retirement',
  'ebs volume availability zone',
  'ssh to nodes',
  'gateway api',
];
const QUESTIONS = [
  'how does pod IP allocation differ on GKE',
  'what LB does AKS create for a Service of type LoadBalancer',
  'how many pods per node on EKS',
  'which DNS server do pods use on AKS vs GKE',
  'how do pods get cloud credentials on EKS',
  'can I change the CNI after creating an AKS cluster',
  'how to connect AWS and GCP with a VPN',
  'what storage class is default on GKE',
  'how do I reach the API server privately on EKS',
  'egress static IP on AKS',
];
const GRAPHQL_COMPARE = `query Compare($topic: String!) {
  compare(topic: $topic) { rows { differs dimension { slug title } divergence { severity summary }
    cells { provider { slug } facts { id value variant default sources { url title } } } } }
}`;

/** Search and ask answers are computed afresh (`Cache-Control: no-cache`): their figures are real work. */
const fresh = { 'cache-control': 'no-cache' };

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(rows[0] ?? []), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

async function mainRun(): Promise<void> {
  const service = await startService(join(ROOT, 'seed'));
  const procs: Proc[] = [service];
  try {
    const comparePath = '/v1/compare?topic=load-balancing';
    const body = await (await fetch(`${service.url}${comparePath}`)).text();
    const bodyFile = join(mkdtempSync(join(tmpdir(), 'cloudiff-ceiling-')), 'body.json');
    writeFileSync(bodyFile, body);
    const ceiling = start(['bench/ceiling.mjs', bodyFile], {});
    procs.push(ceiling);
    await waitFor(`${ceiling.url}${comparePath}`, ceiling.child, ceiling.output);
    if ((await (await fetch(`${ceiling.url}${comparePath}`)).text()) !== body) throw new Error('ceiling body differs');

    const hasAsk = (await fetch(`${service.url}/v1/ask?q=dns`)).status === 200;
    // the same ceiling with an ask answer's bytes: what 50 connections cost on this machine at that size, the
    // yardstick for the ask and search p99 (the compare ceiling's 60 KB body is slower to write)
    const askPath = `/v1/ask?q=${encodeURIComponent(QUESTIONS[0] as string)}`;
    const askBody = hasAsk ? await (await fetch(`${service.url}${askPath}`)).text() : undefined;
    const hasGraphql =
      (
        await fetch(`${service.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        })
      ).status === 200;
    const targets: Target[] = [
      { name: 'ceiling (bare Fastify, same bytes)', proc: ceiling, requests: [{ method: 'GET', path: comparePath }] },
      { name: 'REST compare', proc: service, requests: [{ method: 'GET', path: comparePath }] },
      { name: 'REST facts page (50)', proc: service, requests: [{ method: 'GET', path: '/v1/facts?limit=50&provider=gcp' }] },
      // the web UI's page of the same topic: issue 15 asks it to answer within 2x a cached compare
      {
        name: 'web topic page',
        proc: service,
        requests: [{ method: 'GET', path: comparePath.replace(/^\/v1\/compare\?topic=/, '/topics/') }],
      },
    ];
    const searches = (headers: Record<string, string>) =>
      SEARCHES.map((q) => ({ method: 'GET' as const, path: `/v1/search?q=${encodeURIComponent(q)}`, headers }));
    const questions = (headers: Record<string, string>) =>
      QUESTIONS.map((q) => ({ method: 'GET' as const, path: `/v1/ask?q=${encodeURIComponent(q)}`, headers }));
    // "repeated": the realistic hot path, each distinct question computed once per dataset version;
    // "computed": every request does the full work (Cache-Control: no-cache)
    if (askBody !== undefined) {
      const askBodyFile = join(dirname(bodyFile), 'ask.json');
      writeFileSync(askBodyFile, askBody);
      const askCeiling = start(['bench/ceiling.mjs', askBodyFile], {});
      procs.push(askCeiling);
      await waitFor(`${askCeiling.url}${askPath}`, askCeiling.child, askCeiling.output);
      targets.push({ name: 'ceiling (bare Fastify, ask bytes)', proc: askCeiling, requests: [{ method: 'GET', path: askPath }] });
    }
    targets.push({ name: 'REST search (repeated)', proc: service, requests: searches({}) });
    targets.push({ name: 'REST search (computed)', proc: service, requests: searches(fresh) });
    if (hasAsk) {
      targets.push({ name: 'REST ask (repeated)', proc: service, requests: questions({}) });
      targets.push({ name: 'REST ask (computed)', proc: service, requests: questions(fresh) });
    }
    if (hasGraphql) {
      targets.push({
        name: 'GraphQL compare',
        proc: service,
        requests: [
          {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: GRAPHQL_COMPARE, variables: { topic: 'load-balancing' } }),
          },
        ],
      });
    }
    const totals = await measure(targets);
    const rps = (name: string) => {
      const t = totals.get(name);
      return t && t.seconds > 0 ? t.requests / t.seconds : 0;
    };
    const ceilingRps = rps(targets[0]?.name ?? '');
    const restRps = rps('REST compare');
    const rows = [['target', 'req/s', 'p50 ms', 'p99 ms', 'x ceiling', 'errors', 'non-2xx', 'RSS MB']];
    const results: Record<string, unknown>[] = [];
    for (const t of targets) {
      const tot = totals.get(t.name) as Totals;
      const r = rps(t.name);
      const p50 = Math.max(...tot.p50);
      const p99 = Math.max(...tot.p99);
      rows.push([
        t.name,
        r.toFixed(0),
        String(p50),
        String(p99),
        (r / ceilingRps).toFixed(2),
        String(tot.errors),
        String(tot.non2xx),
        String(tot.rss),
      ]);
      results.push({
        target: t.name,
        rps: Math.round(r),
        p50_ms: p50,
        p99_ms: p99,
        ratio_to_ceiling: Number((r / ceilingRps).toFixed(3)),
        errors: tot.errors,
        non2xx: tot.non2xx,
        rss_mb: tot.rss,
      });
    }
    const graphqlRatio = hasGraphql ? rps('GraphQL compare') / restRps : null;
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    console.log(`\nCloudiff benchmark — ${new Date().toISOString()} — ${machine}`);
    console.log(
      `${CONNECTIONS} connections, ${SECONDS} s per target in ${ROUNDS} alternating rounds after a ${WARMUP} s warm-up${SMOKE ? ' (SMOKE RUN: figures are not meaningful)' : ''}\n`,
    );
    console.log(table(rows));
    console.log(`\ncold start (fresh database: migrate, seed, listen): ${service.coldStartMs} ms`);
    const failed = results.filter((r) => (r.errors as number) + (r.non2xx as number) > 0);
    if (failed.length > 0) {
      console.error(`FAILED: errors or non-2xx answers from ${failed.map((r) => r.target).join(', ')}`);
      process.exitCode = 1;
    }
    if (graphqlRatio !== null) console.log(`GraphQL compare / REST compare: ${graphqlRatio.toFixed(2)}`);
    if (!SMOKE) {
      writeFileSync(
        join(ROOT, 'bench/results.json'),
        `${JSON.stringify({ at: new Date().toISOString(), machine, connections: CONNECTIONS, seconds_per_target: SECONDS, cold_start_ms: service.coldStartMs, graphql_to_rest: graphqlRatio, results }, null, 2)}\n`,
      );
      console.log('wrote bench/results.json');
    }
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
  }
}

/** Cost growth with the seed's size: build, cold start of a built database, search and ask latency at 1x, 10x, 100x. */
async function scaleRun(factors: number[]): Promise<void> {
  // 2xx/s, not req/s: under a computed flood at 100x load shedding answers 503 fast, and those are no answers
  const rows = [
    [
      'scale',
      'facts',
      'db:build ms',
      'open to /ready ms',
      'first ask ms',
      'target',
      '2xx/s',
      'p50 ms',
      'p99 ms',
      'RSS MB',
      'non-2xx',
      'errors',
    ],
  ];
  let failures = 0;
  for (const factor of factors) {
    const dir = mkdtempSync(join(tmpdir(), `cloudiff-seed-x${factor}-`));
    writeScaledSeed(join(ROOT, 'seed'), dir, factor);
    // as a container image is made: the database built ahead (npm run db:build), then opened read-only
    const dbPath = join(dir, 'built.sqlite');
    const b0 = performance.now();
    execFileSync(process.execPath, [join(ROOT, 'dist/seed/build.js'), dbPath], {
      env: { ...process.env, SEED_DIR: dir },
      stdio: 'ignore',
    });
    const buildMs = Math.round(performance.now() - b0);
    const service = await startService(dir, dbPath);
    try {
      // the first question after /ready, from the process start: what a replica's first user waits at most
      await fetch(`${service.url}/v1/ask?q=${encodeURIComponent('first question')}`);
      const askReadyMs = Math.round(performance.now() - service.startedAt);
      const facts = ((await (await fetch(`${service.url}/v1/dataset`)).json()) as { counts: { facts: number } }).counts.facts;
      const get = (path: string, q: string, headers: Record<string, string>) => ({
        method: 'GET' as const,
        path: `${path}${encodeURIComponent(q)}`,
        headers,
      });
      const targets: Target[] = [
        { name: 'search (repeated)', proc: service, requests: SEARCHES.map((q) => get('/v1/search?q=', q, {})) },
        { name: 'search (computed)', proc: service, requests: SEARCHES.map((q) => get('/v1/search?q=', q, fresh)) },
        { name: 'ask (repeated)', proc: service, requests: QUESTIONS.map((q) => get('/v1/ask?q=', q, {})) },
        { name: 'ask (computed)', proc: service, requests: QUESTIONS.map((q) => get('/v1/ask?q=', q, fresh)) },
      ];
      // repeated first, computed after: a flood of computed asks on a big dataset keeps the event loop busy
      // (and load shedding answering 503) for a while, which would be charged to whatever is measured next
      const totals = new Map([
        ...(await measure(targets.filter((t) => t.name.includes('repeated')))),
        ...(await measure(targets.filter((t) => t.name.includes('computed')))),
      ]);
      for (const t of targets) {
        const tot = totals.get(t.name) as Totals;
        failures += tot.errors + tot.non2xx;
        if (tot.errors + tot.non2xx > 0) console.error(`${factor}x ${t.name}: server said\n${service.output().slice(-1500)}`);
        rows.push([
          `${factor}x`,
          String(facts),
          String(buildMs),
          String(service.coldStartMs),
          String(askReadyMs),
          t.name,
          (tot.ok / tot.seconds).toFixed(0),
          String(Math.max(...tot.p50)),
          String(Math.max(...tot.p99)),
          String(tot.rss),
          String(tot.non2xx),
          String(tot.errors),
        ]);
      }
    } finally {
      service.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per target\n\n${table(rows)}`);
  if (failures > 0) {
    console.error('FAILED: errors or non-2xx answers');
    process.exitCode = 1;
  }
}

// the service runs as `npm start` runs it: compiled JavaScript (both processes plain node, no loader)
execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
if (args.scale) await scaleRun(args.scale.split(',').map(Number));
else await mainRun();
