import { type Db, dataVersionReader, writeProblem } from '../db/connection.js';
import { EMPTY_VERSION, readDataset } from '../db/dataset.js';
import type { WatchSummary } from '../domain/sources-lock.js';
import { readSnapshot, type Snapshot } from './snapshot.js';

export interface KbOptions {
  staleAfterDays: number;
  /** Told once when writes become impossible (the database turned read-only, was deleted or replaced). */
  onWriteProblem?: (problem: string) => void;
  /** The last source-watch run (the app reads the seed's lock file); absent: none is known. */
  sourcesWatch?: () => WatchSummary | null;
}

/** How long a request may reuse the last answer to "can the database be written?" (a stat of its files). */
const WRITE_CHECK_MS = 1000;

/**
 * The knowledge layer's handle, which every module of kb/ takes: the database plus the snapshot of its current
 * version. Another process (a reseed, an admin write on a replica sharing the file) is noticed through SQLite's
 * data_version, which changes whenever another connection commits; a write through this process calls
 * `invalidate`.
 */
export class Kb {
  private current: Snapshot | undefined;
  private dataVersion: unknown;
  private readonly readDataVersion: () => unknown;
  private writeState: { problem: string | undefined; at: number } = { problem: undefined, at: -Infinity };

  constructor(
    readonly db: Db,
    readonly options: KbOptions = { staleAfterDays: 180 },
  ) {
    this.readDataVersion = dataVersionReader(db);
  }

  snapshot(): Snapshot {
    const dv = this.readDataVersion();
    if (!this.current || dv !== this.dataVersion) {
      const version = readDataset(this.db)?.version ?? EMPTY_VERSION;
      if (!this.current || this.current.version !== version) this.current = readSnapshot(this.db);
      this.dataVersion = dv;
    }
    return this.current;
  }

  /**
   * The dataset version, cheap enough to call on every request: what ETags and the response cache derive from.
   * While writes are impossible it carries a `~ro` mark, so that no answer cached while they were possible
   * (GET /v1/dataset says which) is served after they stopped being, nor the other way round.
   */
  version(): string {
    const version = this.snapshot().version;
    return this.writeProblem({ maxAgeMs: WRITE_CHECK_MS }) ? `${version}~ro` : version;
  }

  /**
   * Why writes are impossible now, or undefined when they are possible (see db writeProblem). A new problem is
   * reported once to `options.onWriteProblem` (the server logs it at error level), unless the database was opened
   * read-only. `maxAgeMs` reuses a recent
   * answer; writes and probes ask afresh.
   */
  writeProblem({ maxAgeMs = 0 } = {}): string | undefined {
    const now = Date.now();
    if (now - this.writeState.at <= maxAgeMs) return this.writeState.problem;
    const problem = writeProblem(this.db);
    // a database opened read-only is one by design (start-up says so), not a problem to raise
    const news = problem !== undefined && problem !== this.writeState.problem && !this.db.$client.readonly;
    if (news) this.options.onWriteProblem?.(problem);
    this.writeState = { problem, at: now };
    return problem;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
