// `npm run sources:check`: the maintainers' weekly source watch (docs/maintainers.md).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readSeed, SeedError } from './read.js';
import { formatReport, LOCK_FILE, readLock, watchSources, writeLock } from './watch.js';

/** Exit codes: 0 nothing to re-review, 1 pages to look at, 2 usage or seed error, 3 no network. */
const EXIT = { ok: 0, attention: 1, usage: 2, offline: 3 } as const;

const USAGE = `usage: npm run sources:check -- [--json] [--accept URL ...] [--accept-all] [--seed DIR] [--lock FILE]
                                [--concurrency N] [--timeout MS] [--via ORIGIN] [--dry-run]
  --json         print the report as JSON instead of a table
  --accept URL   a changed page whose facts were re-read: store its new fingerprint (repeatable)
  --accept-all   the same for every changed page
  --via ORIGIN   fetch https://host/path as ORIGIN/host/path (a local mirror or test server)
  --dry-run      report only; leave the lock file as it is
exit codes: 0 nothing to re-review, 1 pages changed, moved, gone or failing, 2 usage error, 3 no network`;

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values } = args;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const concurrency = Number(values.concurrency ?? 4);
  const timeoutMs = Number(values.timeout ?? 20_000);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    console.error(`--concurrency must be a whole number from 1 to 16\n${USAGE}`);
    return EXIT.usage;
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
    console.error(`--timeout must be a whole number of milliseconds, at least 100\n${USAGE}`);
    return EXIT.usage;
  }
  const seedDir = values.seed ?? process.env.SEED_DIR ?? 'seed';
  const lockPath = values.lock ?? join(seedDir, LOCK_FILE);
  let seed: ReturnType<typeof readSeed>;
  try {
    seed = readSeed(seedDir);
  } catch (err) {
    if (err instanceof SeedError) {
      console.error(err.message);
      return EXIT.usage;
    }
    throw err;
  }
  const via = values.via?.replace(/\/+$/, '');
  const accepted = new Set(values.accept ?? []);
  const { report, lock } = await watchSources(seed, readLock(lockPath), {
    concurrency,
    timeoutMs,
    ...(via ? { resolve: (url: string) => `${via}/${url.replace(/^https:\/\//, '')}` } : {}),
    accept: (url) => values['accept-all'] === true || accepted.has(url),
  });
  if (report.offline) {
    console.error(
      `sources:check: no network: none of the ${report.summary.pages} cited pages could be reached; nothing was changed`,
    );
    return EXIT.offline;
  }
  if (!values['dry-run']) writeLock(lockPath, lock);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  const attention = report.pages.some((p) => p.state !== 'unchanged' && p.state !== 'new');
  return attention ? EXIT.attention : EXIT.ok;
}

function parse() {
  return parseArgs({
    options: {
      json: { type: 'boolean' },
      accept: { type: 'string', multiple: true },
      'accept-all': { type: 'boolean' },
      seed: { type: 'string' },
      lock: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      via: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
}

process.exitCode = await main();
