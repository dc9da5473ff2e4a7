import type { Db } from '../db/connection.js';
import { factId, PROVIDER_SLUGS } from '../domain/seed.js';
import { factIndexEntry, SearchIndexWriter } from '../kb/search-index.js';
import type { Seed } from './read.js';

export interface LoadOptions {
  actor?: string;
  /** Drop admin edits that were never exported to the seed files. */
  discardUnexported?: boolean;
  now?: Date;
}

/** Admin edits that a reseed would overwrite; the caller must export or discard them first. */
export class UnexportedEditsError extends Error {
  constructor(readonly factIds: string[]) {
    super(
      `the database holds admin edits not yet exported to the seed: ${factIds.join(', ')}. ` +
        'Run `npm run export` to write them to seed/ (then review and commit), or reseed with --discard-edits to drop them.',
    );
    this.name = 'UnexportedEditsError';
  }
}

export function unexportedFactIds(db: Db): string[] {
  const rows = db.$client
    .prepare('SELECT DISTINCT fact_id FROM revisions WHERE unexported = 1 AND fact_id IS NOT NULL ORDER BY fact_id')
    .all() as { fact_id: string }[];
  return rows.map((r) => r.fact_id);
}

/**
 * Replaces the whole knowledge base with the seed in one transaction: either every row of the new seed is
 * in place, or (on any error) the database is exactly as it was. Revisions are kept: they are the history.
 */
export function loadSeed(db: Db, seed: Seed, options: LoadOptions = {}): { version: string } {
  const sqlite = db.$client;
  const now = (options.now ?? new Date()).toISOString();
  const run = sqlite.transaction(() => {
    const pending = unexportedFactIds(db);
    if (pending.length > 0 && !options.discardUnexported) throw new UnexportedEditsError(pending);

    for (const table of [
      'search_index',
      'sources',
      'facts',
      'migration_notes',
      'divergences',
      'dimensions',
      'topics',
      'providers',
    ]) {
      sqlite.prepare(`DELETE FROM ${table}`).run();
    }
    const index = new SearchIndexWriter(sqlite);
    const insProvider = sqlite.prepare(
      'INSERT INTO providers (slug, name, kubernetes_service, kubernetes_service_short, aliases, position) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insTopic = sqlite.prepare('INSERT INTO topics (slug, title, summary, aliases, position) VALUES (?, ?, ?, ?, ?)');
    const insDim = sqlite.prepare(
      'INSERT INTO dimensions (key, topic, slug, title, question, baseline, keywords, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insDivergence = sqlite.prepare(
      'INSERT INTO divergences (dimension_key, summary, severity, example) VALUES (?, ?, ?, ?)',
    );
    const insNote = sqlite.prepare(
      'INSERT INTO migration_notes (dimension_key, from_provider, to_provider, note) VALUES (?, ?, ?, ?)',
    );
    const insFact = sqlite.prepare(
      `INSERT INTO facts (id, provider, topic, dimension_key, variant, is_default, value, details, verified, confidence, tags, position, origin, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seed', ?)`,
    );
    const insSource = sqlite.prepare('INSERT INTO sources (fact_id, position, url, title) VALUES (?, ?, ?, ?)');

    const providers = new Map(seed.providers.map((p) => [p.slug, p]));
    seed.providers
      .slice()
      .sort((a, b) => PROVIDER_SLUGS.indexOf(a.slug) - PROVIDER_SLUGS.indexOf(b.slug))
      .forEach((p, i) => {
        insProvider.run(p.slug, p.name, p.kubernetes_service, p.kubernetes_service_short, JSON.stringify(p.aliases), i);
      });

    seed.topics.forEach((topic, ti) => {
      insTopic.run(topic.slug, topic.title, topic.summary, JSON.stringify(topic.aliases), ti);
      index.add({
        kind: 'topic',
        ref: topic.slug,
        provider: null,
        topic: topic.slug,
        dimension: null,
        title: topic.title,
        body: topic.summary,
        keywords: topic.aliases.join(' '),
      });
      topic.dimensions.forEach((dim, di) => {
        const key = `${topic.slug}/${dim.slug}`;
        insDim.run(key, topic.slug, dim.slug, dim.title, dim.question, dim.baseline, JSON.stringify(dim.keywords), di);
        insDivergence.run(key, dim.divergence.summary, dim.divergence.severity, dim.divergence.example);
        for (const [direction, note] of Object.entries(dim.divergence.migration)) {
          const [from, to] = direction.split('->');
          insNote.run(key, from, to, note);
        }
        index.add({
          kind: 'dimension',
          ref: key,
          provider: null,
          topic: topic.slug,
          dimension: dim.slug,
          title: dim.title,
          body: `${dim.question} ${dim.baseline} ${dim.divergence.summary} ${dim.divergence.example}`,
          keywords: [...dim.keywords, topic.title, ...topic.aliases].join(' '),
        });
        for (const provider of PROVIDER_SLUGS) {
          const cell = dim.facts[provider];
          cell.forEach((fact, fi) => {
            const id = factId(provider, topic.slug, dim.slug, fact.variant);
            const isDefault = cell.length === 1 || fact.default === true;
            insFact.run(
              id,
              provider,
              topic.slug,
              key,
              fact.variant ?? null,
              isDefault ? 1 : 0,
              fact.value,
              fact.details,
              fact.verified,
              fact.confidence,
              JSON.stringify(fact.tags),
              fi,
              now,
            );
            fact.sources.forEach((s, si) => {
              insSource.run(id, si, s.url, s.title);
            });
            const p = providers.get(provider);
            if (!p) throw new Error(`providers.yaml does not define ${provider}`);
            index.add(
              factIndexEntry(
                {
                  id,
                  provider,
                  topic: topic.slug,
                  dimension: dim.slug,
                  variant: fact.variant,
                  value: fact.value,
                  details: fact.details,
                  tags: fact.tags,
                },
                dim,
                { name: p.name, kubernetesServiceShort: p.kubernetes_service_short, aliases: p.aliases },
              ),
            );
          });
        }
      });
    });

    const version = seed.version;
    sqlite
      .prepare(
        `INSERT INTO dataset (id, version, seed_hash, built_at, revision) VALUES (1, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, seed_hash = excluded.seed_hash, built_at = excluded.built_at, revision = 0`,
      )
      .run(version, seed.version, now);
    sqlite.prepare('UPDATE revisions SET unexported = 0 WHERE unexported = 1').run();
    sqlite
      .prepare(
        "INSERT INTO revisions (fact_id, action, actor, at, before, after, dataset_version, unexported) VALUES (NULL, 'reseed', ?, ?, NULL, NULL, ?, 0)",
      )
      .run(options.actor ?? 'seed', now, version);
    return { version };
  });
  return run();
}

/** The seed hash the database was last loaded from, or null for an empty database. */
export function loadedSeedHash(db: Db): string | null {
  const row = db.$client.prepare('SELECT seed_hash FROM dataset WHERE id = 1').get() as { seed_hash: string } | undefined;
  return row?.seed_hash ?? null;
}
