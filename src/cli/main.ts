import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Backend, CliFailure, EXIT } from './backend.js';
import { escapeControls, escapeDeep, safeJson } from './escape.js';
import {
  askMiss,
  renderAsk,
  renderCompare,
  renderDiff,
  renderFact,
  renderSearch,
  renderTimeline,
  renderTopics,
} from './render.js';

/** The clone the CLI runs from: default paths resolve here, so `cloudiff` works from any directory. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_LIMIT = 50;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Terminal width; undefined when output is not a terminal. */
  columns?: number;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  summary: string;
  details: string;
  options: Options;
  run: (backend: Backend, args: { values: Values; positionals: string[] }, out: Output) => Promise<number>;
}

interface Output {
  json: boolean;
  width: number;
  io: Io;
}

const GLOBAL_OPTIONS: Options = {
  json: { type: 'boolean' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = `Options for every command:
  --json          print the API's JSON object instead of a table (for scripts)
  --url URL       ask a Cloudiff server instead of the local database (or set CLOUDIFF_URL)
  -h, --help      show help`;

function usageError(message: string): CliFailure {
  return new CliFailure(EXIT.usage, `${message}\nRun "cloudiff help" for usage.`);
}

function one(positionals: string[], name: string, usage: string): string {
  if (positionals.length === 0) throw usageError(`missing ${name}; usage: ${usage}`);
  if (positionals.length > 1) throw usageError(`expected one ${name}, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0] as string;
}

function text(positionals: string[], name: string, usage: string): string {
  const joined = positionals.join(' ').trim();
  if (!joined) throw usageError(`missing ${name}; usage: ${usage}`);
  return joined;
}

function noPositionals(positionals: string[], command: string): void {
  if (positionals.length > 0) throw usageError(`${command} takes no arguments, got: ${positionals.join(' ')}`);
}

/**
 * Prints a command's answer: its JSON, or the table `render` draws from the object with every string escaped
 * (src/cli/escape.ts), so control characters in stored or served text show as visible escapes and widths hold.
 */
function print<T>(out: Output, value: T, render: (safe: T, width: number) => string): void {
  out.io.stdout(out.json ? `${safeJson(value)}\n` : render(escapeDeep(value), out.width));
}

const COMMANDS: Record<string, Command> = {
  ask: {
    usage: 'cloudiff ask <question…>',
    summary: 'answer a question in plain words, with the comparison rows and citations',
    details:
      'Example: cloudiff ask "how does pod IP allocation differ on GKE?"\nExits 1 when nothing matches (the closest topics are named on stderr).',
    options: {},
    async run(backend, { positionals }, out) {
      const result = await backend.ask(text(positionals, 'question', this.usage));
      print(out, result, renderAsk);
      if (result.matches.length > 0) return EXIT.ok;
      out.io.stderr(`${askMiss(result)}\n`);
      return EXIT.notFound;
    },
  },
  compare: {
    usage: 'cloudiff compare <topic> [--providers aws,gcp]',
    summary: 'the comparison matrix of a topic: a row per dimension, a column per provider',
    details:
      '  --providers LIST   comma-separated providers (default: all three); aliases such as eks, aks, gke work\nExample: cloudiff compare dns --providers aws,gke',
    options: { providers: { type: 'string', short: 'p' } },
    async run(backend, { values, positionals }, out) {
      const result = await backend.compare(one(positionals, 'topic', this.usage), values.providers as string | undefined);
      print(out, result, renderCompare);
      return EXIT.ok;
    },
  },
  diff: {
    usage: 'cloudiff diff --from <provider> --to <provider> [--topic <topic>]',
    summary: 'what changes moving a workload from one cloud to another, highest severity first',
    details:
      '  --from PROVIDER    the provider moved from\n  --to PROVIDER      the provider moved to\n  --topic TOPIC      only this topic\nExample: cloudiff diff --from aws --to gcp --topic dns',
    options: { from: { type: 'string' }, to: { type: 'string' }, topic: { type: 'string' } },
    async run(backend, { values, positionals }, out) {
      noPositionals(positionals, 'diff');
      if (!values.from || !values.to) throw usageError(`--from and --to are required; usage: ${this.usage}`);
      const result = await backend.diff(values.from as string, values.to as string, values.topic as string | undefined);
      print(out, result, renderDiff);
      return EXIT.ok;
    },
  },
  search: {
    usage: 'cloudiff search <query…> [--provider <provider>] [--topic <topic>] [--limit N]',
    summary: 'full-text search over topics, dimensions and facts, best match first',
    details: `  --provider PROVIDER  only facts of this provider\n  --topic TOPIC        only this topic\n  --limit N            how many results, 1 to ${MAX_LIMIT} (default 10)\nExample: cloudiff search ndots --provider gke\nExits 1 when nothing matches.`,
    options: { provider: { type: 'string' }, topic: { type: 'string' }, limit: { type: 'string', short: 'n' } },
    async run(backend, { values, positionals }, out) {
      const q = text(positionals, 'query', this.usage);
      let limit: number | undefined;
      if (values.limit !== undefined) {
        limit = Number(values.limit);
        if (!/^\d+$/.test(values.limit as string) || limit < 1 || limit > MAX_LIMIT) {
          throw usageError(`--limit: must be an integer from 1 to ${MAX_LIMIT}, got "${values.limit}"`);
        }
      }
      const result = await backend.search({
        q,
        provider: values.provider as string | undefined,
        topic: values.topic as string | undefined,
        limit,
      });
      print(out, result, renderSearch);
      if (result.items.length > 0) return EXIT.ok;
      out.io.stderr(`no results for "${q}"\n`);
      return EXIT.notFound;
    },
  },
  fact: {
    usage: 'cloudiff fact <id>',
    summary: 'one fact with its details and sources',
    details:
      'Ids look like gcp/dns/cluster-dns-server, plus #variant where a cell has variants\n(quote them in the shell: cloudiff fact "gcp/dns/cluster-dns-server#cloud-dns-for-gke").',
    options: {},
    async run(backend, { positionals }, out) {
      const result = await backend.fact(one(positionals, 'fact id', this.usage));
      print(out, result, renderFact);
      return EXIT.ok;
    },
  },
  topics: {
    usage: 'cloudiff topics',
    summary: 'every topic with its counts and summary',
    details: '',
    options: {},
    async run(backend, { positionals }, out) {
      noPositionals(positionals, 'topics');
      const result = await backend.topics();
      print(out, result, (r, width) => renderTopics(r.items, width));
      return EXIT.ok;
    },
  },
  timeline: {
    usage: 'cloudiff timeline [--from <date>] [--to <date>] [--provider <provider>] [--topic <topic>]',
    summary: 'dated changes, retirements and new defaults in a window (default: the next 12 months), soonest first',
    details:
      '  --from DATE        ISO date, the first day (default: today)\n  --to DATE          ISO date, the last day (default: from + 12 months)\n  --provider PROVIDER  only this provider\n  --topic TOPIC      only this topic\nExample: cloudiff timeline --provider aks --to 2028-12-31',
    options: { from: { type: 'string' }, to: { type: 'string' }, provider: { type: 'string' }, topic: { type: 'string' } },
    async run(backend, { values, positionals }, out) {
      noPositionals(positionals, 'timeline');
      const pick = (k: string) => values[k] as string | undefined;
      const query = { from: pick('from'), to: pick('to'), provider: pick('provider'), topic: pick('topic') };
      const result = await backend.timeline(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)));
      print(out, result, renderTimeline);
      return EXIT.ok;
    },
  },
};

function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const pad = Math.max(...names.map((n) => n.length)) + 2;
  return `cloudiff: how does this behave differently on AWS, Azure and GCP?

Usage: cloudiff <command> [arguments] [options]

Commands:
${names.map((n) => `  ${n.padEnd(pad)}${COMMANDS[n]?.summary}`).join('\n')}
  ${'help'.padEnd(pad)}this text; "cloudiff help <command>" for one command

${GLOBAL_HELP}

Reads the local database (DB_PATH, default data/cloudiff.sqlite in the clone; created from SEED_DIR when
missing) unless --url or CLOUDIFF_URL names a server.
Exit codes: 0 found, 1 not found, 2 usage error, 3 could not answer (server unreachable, no database).
`;
}

function commandHelp(name: string, command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.\n${command.details ? `\n${command.details}\n` : ''}\n${GLOBAL_HELP}\n`.replace(
    'Usage: ',
    name === 'help' ? '' : 'Usage: ',
  );
}

/** Opens the backend the options ask for; the local one only when needed (it loads SQLite). */
async function openBackend(url: string | undefined, env: NodeJS.ProcessEnv, io: Io): Promise<Backend> {
  if (url) {
    const { RemoteBackend } = await import('./remote.js');
    return new RemoteBackend(url);
  }
  // loaded here, not at the top: a --url run needs neither zod (config) nor SQLite and drizzle (local)
  const [{ loadConfig }, { LocalBackend }] = await Promise.all([import('../config.js'), import('./local.js')]);
  const config = loadConfig(env);
  return new LocalBackend({
    // set explicitly: relative to the working directory, like the server; unset: the clone's own files
    dbPath: env.DB_PATH ? resolve(config.DB_PATH) : resolve(PACKAGE_ROOT, config.DB_PATH),
    seedDir: env.SEED_DIR ? resolve(config.SEED_DIR) : resolve(PACKAGE_ROOT, config.SEED_DIR),
    staleAfterDays: config.STALE_AFTER_DAYS,
    notice: (message) => io.stderr(`cloudiff: ${message}\n`),
  });
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const allOptions: Options = { ...GLOBAL_OPTIONS };
  for (const c of Object.values(COMMANDS)) Object.assign(allOptions, c.options);
  // first pass, lenient: only to find the command, whose options the strict pass then allows
  const loose = parseArgs({ args: argv, options: allOptions, allowPositionals: true, strict: false });
  const [name, ...rest] = loose.positionals;
  if (name === undefined || name === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !COMMANDS[topic]) throw usageError(`unknown command "${topic}"`);
    io.stdout(topic ? commandHelp(topic, COMMANDS[topic] as Command) : mainHelp());
    return name === undefined && !loose.values.help ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) throw usageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}, help`);

  let parsed: { values: Values; positionals: string[] };
  try {
    const strict = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    parsed = { values: strict.values as Values, positionals: strict.positionals };
  } catch (err) {
    throw usageError(`${(err as Error).message.split('\n')[0]} (${command.usage})`);
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(name, command));
    return EXIT.ok;
  }
  const positionals = parsed.positionals.slice(parsed.positionals.indexOf(name) + 1);
  const url = (parsed.values.url as string | undefined) ?? (env.CLOUDIFF_URL || undefined);
  const backend = await openBackend(url, env, io);
  try {
    const width = Math.max(40, io.columns ?? (Number(env.COLUMNS) || 100));
    return await command.run(backend, { values: parsed.values, positionals }, { json: parsed.values.json === true, width, io });
  } finally {
    backend.close();
  }
}

/**
 * A reader that went away (`cloudiff topics | head -1`) is not a failure: the answer was wanted only in part.
 * EPIPE on stdout ends the run quietly with exit 0; on stderr it is ignored (the exit code still tells).
 */
function quietOnEpipe(stream: NodeJS.WriteStream, onEpipe: () => void): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    onEpipe();
  });
}

function processIo(): Io {
  quietOnEpipe(process.stdout, () => process.exit(EXIT.ok));
  quietOnEpipe(process.stderr, () => {});
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    columns: process.stdout.columns,
  };
}

/** Runs one command line; returns the exit code. Every failure is a message on stderr, never a stack trace. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io?: Io): Promise<number> {
  const raw = io ?? processIo();
  // every byte printed passes here: a command, a message or a renderer that forgot escapeDeep still cannot
  // reach the terminal with a control character (escaping is idempotent, so escaped text passes unchanged)
  const out: Io = {
    stdout: (t) => raw.stdout(escapeControls(t)),
    stderr: (t) => raw.stderr(escapeControls(t)),
    columns: raw.columns,
  };
  try {
    return await dispatch(argv, env, out);
  } catch (err) {
    if (err instanceof CliFailure) {
      out.stderr(`cloudiff: ${err.message}\n`);
      return err.exitCode;
    }
    out.stderr(`cloudiff: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.failure;
  }
}
