import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { type SeedProvider, SeedProvidersFileSchema, type SeedTopic, SeedTopicSchema } from '../domain/seed.js';

export interface Seed {
  providers: SeedProvider[];
  topics: SeedTopic[];
  /** Content hash of every seed file (names and bytes): the dataset version. */
  version: string;
}

/** A seed that cannot be loaded; `problems` are `file: path: reason` lines. */
export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`seed is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'SeedError';
  }
}

/** A seed file's content once checked: its value, or its problems as `path: reason` lines. */
export type Checked<T> = { value: T } | { problems: string[] };

const PROVIDERS_FILE = 'providers.yaml';

/** `dimensions[3].facts.gcp[0].sources[0].url`, the way a reviewer finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

function parseFile<T>(bytes: Uint8Array, schema: z.ZodType<T>): Checked<T> {
  // js-yaml reads ~10x faster than the yaml package (it matters for the 100x benchmark seed); it refuses
  // duplicate keys and reports the line and column of a syntax error.
  let data: unknown;
  try {
    // the core schema (YAML 1.2's plain types) resolves a third faster than js-yaml's default, which also tries
    // timestamps, merge keys and binary on every scalar; dates stay strings, which is what the schemas check
    data = load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), { schema: CORE_SCHEMA });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    // the first line names the line and column; the rest is an excerpt of the file
    return { problems: [err.message.split('\n')[0]!] };
  }
  const result = schema.safeParse(data);
  if (!result.success) return { problems: result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
  return { value: result.data };
}

/** Parses and validates one topic file; pure, so that a parse worker can run it as well as readSeed. */
export function parseTopicFile(file: string, bytes: Uint8Array): Checked<SeedTopic> {
  const checked = parseFile(bytes, SeedTopicSchema);
  const expected = basename(file, '.yaml');
  if ('value' in checked && checked.value.slug !== expected) {
    return { problems: [`slug: "${checked.value.slug}" must equal the file name "${expected}"`] };
  }
  return checked;
}

/** The seed's files in load order (topics take their positions from it). */
export function seedFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

function hashFile(hash: ReturnType<typeof createHash>, file: string, bytes: Buffer): void {
  hash.update(file).update('\0').update(bytes).update('\0');
}

/** The seed's content hash without parsing it: start-up compares it with the loaded dataset first. */
export function seedHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of seedFiles(dir)) hashFile(hash, file, readFileSync(join(dir, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Reads a seed directory file by file in name order (which gives the version its bytes) and collects each
 * file's problems, whoever parses it: readSeed on the main thread, loadSeedDir on workers. providers.yaml is
 * read up front because loading any topic needs the providers; problems are kept per file so that they are
 * reported in file order however far reading runs ahead of checking.
 */
export class SeedReader {
  readonly providers: SeedProvider[] = [];
  /** The topic files, in order. */
  readonly topicFiles: string[];
  private readonly files: string[];
  private readonly hash = createHash('sha256');
  /** Every file's problems, in report order: a missing providers.yaml first, then file by file. */
  private readonly problems = new Map<string, string[]>();
  private problemCount = 0;
  private readonly providersBytes: Buffer | undefined;
  private nextIndex = 0;

  constructor(private readonly dir: string) {
    this.files = seedFiles(dir);
    this.topicFiles = this.files.filter((f) => f !== PROVIDERS_FILE);
    const missing = !this.files.includes(PROVIDERS_FILE);
    if (missing) this.problems.set(PROVIDERS_FILE, []);
    for (const file of this.files) this.problems.set(file, []);
    if (missing) {
      this.report(PROVIDERS_FILE, ['file is missing']);
      return;
    }
    this.providersBytes = readFileSync(join(dir, PROVIDERS_FILE));
    this.providers = this.accept(PROVIDERS_FILE, parseFile(this.providersBytes, SeedProvidersFileSchema))?.providers ?? [];
  }

  /** The next topic file and its bytes; every file read on the way goes into the version hash, in order. */
  nextTopicFile(): { file: string; bytes: Buffer } | undefined {
    while (this.nextIndex < this.files.length) {
      const file = this.files[this.nextIndex++]!;
      const bytes = file === PROVIDERS_FILE ? this.providersBytes! : readFileSync(join(this.dir, file));
      hashFile(this.hash, file, bytes);
      if (file !== PROVIDERS_FILE) return { file, bytes };
    }
    return undefined;
  }

  /** A topic file's topic, or undefined when it is invalid (its problems are kept). */
  topic(file: string, checked: Checked<SeedTopic>): SeedTopic | undefined {
    return this.accept(file, checked);
  }

  get valid(): boolean {
    return this.problemCount === 0;
  }

  /** The dataset version once every file was read; throws a SeedError listing all problems. */
  finish(): string {
    const problems = [...this.problems.values()].flat();
    const slugs = new Set(this.providers.map((p) => p.slug));
    if (this.providers.length > 0 && slugs.size !== this.providers.length) {
      problems.push(this.line(PROVIDERS_FILE, 'providers: each of aws, azure and gcp must appear once'));
    }
    if (problems.length > 0) throw new SeedError(problems);
    return this.hash.digest('hex').slice(0, 16);
  }

  private accept<T>(file: string, checked: Checked<T>): T | undefined {
    if ('value' in checked) return checked.value;
    this.report(file, checked.problems);
    return undefined;
  }

  private report(file: string, problems: string[]): void {
    this.problems.get(file)!.push(...problems.map((p) => this.line(file, p)));
    this.problemCount += problems.length;
  }

  /** `file: path: reason`, the file relative to the working directory as a reviewer types it. */
  private line(file: string, problem: string): string {
    return `${relative(process.cwd(), join(this.dir, file)) || file}: ${problem}`;
  }
}

/** Reads and validates every file of a seed directory; throws a SeedError listing all problems. */
export function readSeed(dir: string): Seed {
  const reader = new SeedReader(dir);
  const topics: SeedTopic[] = [];
  for (let next = reader.nextTopicFile(); next; next = reader.nextTopicFile()) {
    const topic = reader.topic(next.file, parseTopicFile(next.file, next.bytes));
    if (topic) topics.push(topic);
  }
  const version = reader.finish();
  return { providers: reader.providers, topics, version };
}
