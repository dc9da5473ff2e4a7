import type Database from 'better-sqlite3';

/** What the FTS5 table `search_index` holds for one topic, dimension or fact. */
export interface IndexEntry {
  kind: 'topic' | 'dimension' | 'fact';
  ref: string;
  provider: string | null;
  topic: string;
  dimension: string | null;
  title: string;
  body: string;
  keywords: string;
}

/** Writes and removes index rows; the seed loader and the write API share it so the index never drifts. */
export class SearchIndexWriter {
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.insert = sqlite.prepare(
      'INSERT INTO search_index (kind, ref, provider, topic, dimension, title, body, keywords) VALUES (@kind, @ref, @provider, @topic, @dimension, @title, @body, @keywords)',
    );
    this.remove = sqlite.prepare('DELETE FROM search_index WHERE kind = ? AND ref = ?');
  }

  /** Adds a row; for a table known not to hold it (the seed loader empties the index first). */
  add(entry: IndexEntry): void {
    this.insert.run(entry);
  }

  /**
   * Replaces the row of an entry. Finding it scans the table (kind and ref are UNINDEXED columns), which is
   * fine for the write API's one fact at a time and never done by the seed loader.
   */
  put(entry: IndexEntry): void {
    this.remove.run(entry.kind, entry.ref);
    this.insert.run(entry);
  }

  delete(kind: IndexEntry['kind'], ref: string): void {
    this.remove.run(kind, ref);
  }
}

export interface FactIndexInput {
  id: string;
  provider: string;
  topic: string;
  dimension: string;
  variant?: string | null;
  value: string;
  details: string;
  tags: string[];
}

/**
 * A fact's index row. Its keywords carry the provider's name and service (EKS, AKS, GKE) and the dimension's
 * vocabulary, so a question worded like the dimension ("pod range exhaustion on GKE") finds the fact itself.
 * Other provider aliases resolve through the `provider` parameter and ask's provider detection instead:
 * repeating twenty aliases in every fact's row made the index a third larger to build.
 */
export function factIndexEntry(
  fact: FactIndexInput,
  dim: { title: string; keywords: string[] },
  provider: { name: string; kubernetesServiceShort: string; aliases: string[] },
): IndexEntry {
  return {
    kind: 'fact',
    ref: fact.id,
    provider: fact.provider,
    topic: fact.topic,
    dimension: fact.dimension,
    title: `${dim.title} on ${provider.kubernetesServiceShort}${fact.variant ? ` (${fact.variant})` : ''}`,
    body: `${fact.value}. ${fact.details}`,
    keywords: [provider.name, provider.kubernetesServiceShort, ...dim.keywords, ...fact.tags].join(' '),
  };
}
