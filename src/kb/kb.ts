import { type Db, dataVersionReader } from '../db/connection.js';
import { EMPTY_VERSION, readDataset } from '../db/dataset.js';
import type { WatchSummary } from '../domain/sources-lock.js';
import { readSnapshot, type Snapshot } from './snapshot.js';

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

  constructor(
    readonly db: Db,
    readonly options: {
      staleAfterDays: number;
      /** The last source-watch run (the app reads the seed's lock file); absent: none is known. */
      sourcesWatch?: () => WatchSummary | null;
    } = { staleAfterDays: 180 },
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

  /** The dataset version, cheap enough to call on every request (it is what ETags derive from). */
  version(): string {
    return this.snapshot().version;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
