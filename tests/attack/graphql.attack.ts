import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, attackServer, percentile, withNeighbour } from './harness.js';

/**
 * Neighbour budget. The service's own rule is that no request holds the event loop for more than 100 ms
 * (docs/security.md, MAX_QUERY_COST). Measured from another process on this 2-core machine shared with other
 * test runs, a neighbour's wait also holds scheduling delays, GC pauses of a loaded server and the test
 * process's own event loop, so the bound is set where a stall is unmistakable but noise is not: the p99 under
 * 500 ms and no single wait over 2 s. The defect this class guards against stalled neighbours for 9 s.
 */
const NEIGHBOUR_P99_MS = 500;
const NEIGHBOUR_MAX_MS = 2_000;
const RUNS = 40;

/** A limit a refused query must name in its error (a page size past 200 is refused naming `first`). */
const LIMIT_NAMES = /MAX_QUERY_COST|MAX_RESPONSE_BYTES|depth|token|first: must be/i;

const leaf = fc.constantFrom('id', 'value', 'details', 'id value details', 'id value details sources { url title }');

/** `topics { dimensions { facts { dimension { facts { … } } } } }`, nested `levels` times below topics. */
const topicChain = fc.record({ levels: fc.integer({ min: 1, max: 4 }), leaf }).map(({ levels, leaf }) => {
  let inner = `facts { ${leaf} }`;
  for (let i = 1; i < levels; i++) inner = `facts { dimension { ${inner} } }`;
  return `topics { dimensions { ${inner} } }`;
});

/** `facts(first: N) { edges { node { dimension { facts { … } } } } }`, with any page size a client may ask. */
const factsPage = fc
  .record({ first: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(200, 201, 10_000, 2 ** 31 - 1)), leaf })
  .map(({ first, leaf }) => `facts(first: ${first}) { edges { node { dimension { facts { ${leaf} } } } } }`);

const aliased = (count: number, body: string) => Array.from({ length: count }, (_, i) => `a${i}: ${body}`).join(' ');

/** Aliases of a chain, written in place or inside a fragment (which the cost counts as if written in place). */
const bomb = fc
  .record({
    aliases: fc.integer({ min: 2, max: 80 }),
    body: fc.oneof(topicChain, factsPage),
    fragment: fc.boolean(),
  })
  .map(({ aliases, body, fragment }) =>
    fragment ? `{ ...F } fragment F on Query { ${aliased(aliases, body)} }` : `{ ${aliased(aliases, body)} }`,
  );

let server: AttackServer;
beforeAll(async () => {
  server = await attackServer();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

async function graphql(query: string) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe('GraphQL amplification against the real server', () => {
  it('the issue-12 bombs are refused naming the limit', async () => {
    const issueBomb = `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: topics { dimensions { facts { dimension { facts { dimension { facts { dimension { facts { details } } } } } } } } }`).join(' ')} }`;
    const heapBomb = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: facts(first: 200) { edges { node { dimension { facts { id value details } } } } }`).join(' ')} }`;
    for (const query of [issueBomb, heapBomb]) {
      const { status, text } = await graphql(query);
      expect(status, text.slice(0, 300)).toBe(400);
      expect(text).toMatch(/MAX_QUERY_COST/);
    }
  });

  it('answers generated alias, nesting and list-size bombs within limits or refuses them naming the limit, without stalling a neighbour', async () => {
    const seen = { refused: 0, answered: 0 };
    const { waits, failures } = await withNeighbour(server.url, () =>
      fc.assert(
        fc.asyncProperty(bomb, async (query) => {
          const { status, text } = await graphql(query);
          expect(status, `${query.slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(500);
          if (status === 200 && !text.includes('"errors"')) {
            seen.answered++;
            // the bytes cap holds for what was let through
            expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2 * 1024 * 1024);
          } else {
            seen.refused++;
            expect(text, query.slice(0, 200)).toMatch(LIMIT_NAMES);
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: 40_000 },
      ),
    );
    expect(failures).toEqual([]);
    expect(waits.length).toBeGreaterThan(10);
    expect(percentile(waits, 99), `neighbour waits (ms): ${waits.map(Math.round).join(',')}`).toBeLessThan(NEIGHBOUR_P99_MS);
    expect(Math.max(...waits)).toBeLessThan(NEIGHBOUR_MAX_MS);
    expect(seen.refused).toBeGreaterThan(0);
    // the process survived (no heap death) and still answers
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });

  it('refuses a subscription with a client error, not an internal one', async () => {
    const { status, text } = await graphql('subscription { x }');
    expect(status).toBeLessThan(500);
    expect(text).not.toMatch(/INTERNAL_SERVER_ERROR/);
  });
});
