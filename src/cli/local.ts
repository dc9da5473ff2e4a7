import { existsSync } from 'node:fs';
import { z } from 'zod';
import { openDb } from '../db/connection.js';
import { CompareSchema, DiffSchema, FactSchema, SearchResultSchema, TopicSummarySchema } from '../domain/api.js';
import { AskSchema } from '../domain/ask.js';
import { TimelineSchema } from '../domain/timeline.js';
import { ask } from '../kb/ask/index.js';
import { listTopics } from '../kb/catalog.js';
import { compare, diff } from '../kb/compare.js';
import { BadInputError, NotFoundError } from '../kb/errors.js';
import { getFact } from '../kb/facts.js';
import { Kb } from '../kb/kb.js';
import { search } from '../kb/search.js';
import { timeline } from '../kb/timeline.js';
import { ensureSeeded } from '../seed/ensure.js';
import { loadedSeedHash } from '../seed/load.js';
import { type Backend, badInput, CliFailure, EXIT, type SearchArgs, type TimelineArgs } from './backend.js';

const TopicListSchema = z.object({ items: z.array(TopicSummarySchema) });

export interface LocalOptions {
  dbPath: string;
  seedDir: string;
  staleAfterDays: number;
  /** Where to say that a database was created (stderr). */
  notice: (message: string) => void;
}

/**
 * Answers from the SQLite file through the knowledge layer. A database that is missing (or holds no dataset)
 * is created and seeded from the seed directory, as the server does on its first start; an existing one is
 * only read, never reseeded (that is `npm run seed`'s or the server's job, and would discard admin edits).
 */
export class LocalBackend implements Backend {
  private readonly kb: Kb;
  private readonly close_: () => void;

  constructor(options: LocalOptions) {
    const existed = existsSync(options.dbPath);
    if (!existed && !existsSync(options.seedDir)) {
      throw new CliFailure(
        EXIT.failure,
        `no database at ${options.dbPath} and no seed directory at ${options.seedDir} to create it from; set DB_PATH or SEED_DIR, or use --url`,
      );
    }
    const db = openDb(options.dbPath);
    this.close_ = () => db.$client.close();
    if (loadedSeedHash(db) === null) {
      try {
        const result = ensureSeeded(db, options.seedDir);
        options.notice(`created ${options.dbPath} from ${options.seedDir} (dataset ${result.version})`);
      } catch (err) {
        db.$client.close();
        throw new CliFailure(EXIT.failure, `cannot seed ${options.dbPath} from ${options.seedDir}: ${(err as Error).message}`);
      }
    }
    this.kb = new Kb(db, { staleAfterDays: options.staleAfterDays });
  }

  /** Runs a kb call; the result goes through the response schema, as REST serialization does. */
  private run<T>(schema: z.ZodType<T>, read: () => unknown): Promise<T> {
    try {
      return Promise.resolve(schema.parse(read()));
    } catch (err) {
      if (err instanceof BadInputError) return Promise.reject(badInput(err.param, err.detail));
      if (err instanceof NotFoundError) return Promise.reject(new CliFailure(EXIT.notFound, err.message));
      return Promise.reject(err);
    }
  }

  ask(q: string) {
    return this.run(AskSchema, () => ask(this.kb, q));
  }
  compare(topic: string, providers?: string) {
    return this.run(CompareSchema, () => compare(this.kb, topic, providers));
  }
  diff(from: string, to: string, topic?: string) {
    return this.run(DiffSchema, () => diff(this.kb, from, to, topic));
  }
  search(args: SearchArgs) {
    return this.run(SearchResultSchema, () => search(this.kb, args));
  }
  fact(id: string) {
    return this.run(FactSchema, () => getFact(this.kb, id));
  }
  topics() {
    return this.run(TopicListSchema, () => ({ items: listTopics(this.kb) }));
  }
  timeline(query: TimelineArgs) {
    return this.run(TimelineSchema, () => timeline(this.kb, query));
  }
  close() {
    this.close_();
  }
}
