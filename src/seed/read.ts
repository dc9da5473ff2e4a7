import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { formatPath, type SeedProvider, SeedProvidersFileSchema, type SeedTopic, SeedTopicSchema } from '../domain/seed.js';

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
type Checked<T> = { value: T } | { problems: string[] };

const PROVIDERS_FILE = 'providers.yaml';

function parseFile<T>(bytes: Uint8Array, schema: z.ZodType<T>): Checked<T> {
  // js-yaml reads ~10x faster than the yaml package; it refuses duplicate keys and reports the line and column
  // of a syntax error.
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

/** Parses and validates one topic file; its slug must be its file name. */
function parseTopicFile(file: string, bytes: Uint8Array): Checked<SeedTopic> {
  const checked = parseFile(bytes, SeedTopicSchema);
  const expected = basename(file, '.yaml');
  if ('value' in checked && checked.value.slug !== expected) {
    return { problems: [`slug: "${checked.value.slug}" must equal the file name "${expected}"`] };
  }
  return checked;
}

/** The seed's files in load order (topics take their positions from it). */
function seedFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** A seed file's size limit: the largest real topic file is ~0.1 MB; this bounds what one entry can cost. */
export const MAX_SEED_FILE_BYTES = 8 * 1024 * 1024;

/**
 * A seed file's bytes, or why it cannot be one: a directory, a device (a symlink to /dev/zero would never end),
 * or a file past MAX_SEED_FILE_BYTES. Reads at most the limit plus one byte, whatever the entry is.
 */
function readSeedFile(path: string): { bytes: Buffer } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { problem: `cannot be read (${errorCode(err)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: 'is a directory, not a seed file' };
    if (!stat.isFile()) return { problem: 'is not a regular file (a device, pipe or socket?)' };
    if (stat.size > MAX_SEED_FILE_BYTES) return { problem: `is larger than ${MAX_SEED_FILE_BYTES / 1024 / 1024} MB` };
    const bytes = Buffer.alloc(Math.min(stat.size, MAX_SEED_FILE_BYTES) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < bytes.length; length += n) n = readSync(fd, bytes, length, bytes.length - length, null);
    if (length > MAX_SEED_FILE_BYTES) return { problem: `is larger than ${MAX_SEED_FILE_BYTES / 1024 / 1024} MB` };
    return { bytes: bytes.subarray(0, length) };
  } catch (err) {
    return { problem: `cannot be read (${errorCode(err)})` };
  } finally {
    closeSync(fd);
  }
}

function errorCode(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : String(err);
}

function hashFile(hash: ReturnType<typeof createHash>, file: string, bytes: Buffer | string): void {
  hash.update(file).update('\0').update(bytes).update('\0');
}

/**
 * The seed's content hash without parsing it: start-up compares it with the loaded dataset first. An entry that
 * cannot be read counts by its problem, so the hash differs and the load reports it.
 */
export function seedHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of seedFiles(dir)) {
    const read = readSeedFile(join(dir, file));
    hashFile(hash, file, 'bytes' in read ? read.bytes : `unreadable: ${read.problem}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** `file: path: reason`, the file relative to the working directory as a reviewer types it. */
function located(dir: string, file: string, problem: string): string {
  return `${relative(process.cwd(), join(dir, file)) || file}: ${problem}`;
}

/**
 * Reads and validates every file of a seed directory in name order (which gives the version its bytes);
 * throws a SeedError listing all problems, file by file.
 */
export function readSeed(dir: string): Seed {
  const files = seedFiles(dir);
  const hash = createHash('sha256');
  const problems: string[] = [];
  let providers: SeedProvider[] = [];
  const topics: SeedTopic[] = [];
  if (!files.includes(PROVIDERS_FILE)) problems.push(located(dir, PROVIDERS_FILE, 'file is missing'));
  for (const file of files) {
    const read = readSeedFile(join(dir, file));
    if ('problem' in read) {
      hashFile(hash, file, `unreadable: ${read.problem}`);
      problems.push(located(dir, file, read.problem));
      continue;
    }
    hashFile(hash, file, read.bytes);
    const checked = file === PROVIDERS_FILE ? parseFile(read.bytes, SeedProvidersFileSchema) : parseTopicFile(file, read.bytes);
    if ('problems' in checked) problems.push(...checked.problems.map((p) => located(dir, file, p)));
    else if ('providers' in checked.value) providers = checked.value.providers;
    else topics.push(checked.value);
  }
  if (providers.length > 0 && new Set(providers.map((p) => p.slug)).size !== providers.length) {
    problems.push(located(dir, PROVIDERS_FILE, 'providers: each of aws, azure and gcp must appear once'));
  }
  if (problems.length > 0) throw new SeedError(problems);
  return { providers, topics, version: hash.digest('hex').slice(0, 16) };
}
