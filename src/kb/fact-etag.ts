import { createHash } from 'node:crypto';
import { readFact } from '../db/facts.js';
import { lastRevisionId } from '../db/revisions.js';
import type { Fact } from '../domain/api.js';
import type { Kb } from './kb.js';

/**
 * A fact's ETag: a hash of its content and of its last revision. It changes with every write to the fact
 * (even one that stores the same content, so two writers holding the same ETag can never both win), and not
 * when other facts change: an edit elsewhere does not invalidate an If-Match held for this fact.
 * GET /v1/facts/{id} answers with it; the write API requires it as If-Match.
 */
export function etagOf(fact: Fact, revision: number): string {
  const canonical = JSON.stringify([fact, revision]);
  return `"f-${createHash('sha256').update(canonical).digest('base64url').slice(0, 22)}"`;
}

/** The current ETag of a fact, or undefined when there is no such fact. */
export function factEtag(kb: Kb, id: string): string | undefined {
  const fact = readFact(kb.db, id);
  return fact ? etagOf(fact, lastRevisionId(kb.db, id)) : undefined;
}
