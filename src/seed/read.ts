import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { load, YAMLException } from 'js-yaml';
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

/** `dimensions[3].facts.gcp[0].sources[0].url`, the way a reviewer finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

function parseFile<T>(text: string, label: string, schema: z.ZodType<T>, problems: string[]): T | undefined {
  // js-yaml reads ~10x faster than the yaml package (it matters for the 100x benchmark seed); it refuses
  // duplicate keys and reports the line and column of a syntax error.
  let data: unknown;
  try {
    data = load(text);
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    problems.push(`${label}: ${err.message.split('\n')[0]}`);
    return undefined;
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${label}: ${formatPath(issue.path)}: ${issue.message}`);
    return undefined;
  }
  return result.data;
}

function seedFiles(dir: string): string[] {
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

/** Reads and validates every file of a seed directory; throws a SeedError listing all problems. */
export function readSeed(dir: string): Seed {
  const problems: string[] = [];
  const label = (file: string) => relative(process.cwd(), join(dir, file)) || file;
  const files = seedFiles(dir);
  const hash = createHash('sha256');

  let providers: SeedProvider[] = [];
  const topics: SeedTopic[] = [];
  if (!files.includes('providers.yaml')) problems.push(`${label('providers.yaml')}: file is missing`);
  for (const file of files) {
    const path = join(dir, file);
    const bytes = readFileSync(path);
    hashFile(hash, file, bytes);
    if (file === 'providers.yaml') {
      providers = parseFile(bytes.toString('utf8'), label(file), SeedProvidersFileSchema, problems)?.providers ?? [];
      continue;
    }
    const topic = parseFile(bytes.toString('utf8'), label(file), SeedTopicSchema, problems);
    if (!topic) continue;
    const expected = basename(file, '.yaml');
    if (topic.slug !== expected) {
      problems.push(`${label(file)}: slug: "${topic.slug}" must equal the file name "${expected}"`);
      continue;
    }
    topics.push(topic);
  }
  const slugs = new Set(providers.map((p) => p.slug));
  if (providers.length > 0 && slugs.size !== providers.length) {
    problems.push(`${label('providers.yaml')}: providers: each of aws, azure and gcp must appear once`);
  }
  if (problems.length > 0) throw new SeedError(problems);
  return { providers, topics, version: hash.digest('hex').slice(0, 16) };
}
