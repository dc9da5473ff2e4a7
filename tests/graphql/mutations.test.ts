import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, NEW_FACT, NEW_ID, TOKEN } from '../helpers/admin.js';
import { fixtureApp } from '../helpers/app.js';
import { gql } from './client.js';

const CREATE =
  'mutation($input: NewFactInput!) { createFact(input: $input) { etag version fact { id value default provider { slug } sources { url } } } }';
const UPDATE =
  'mutation($id: ID!, $ifMatch: String!, $patch: FactPatchInput!) { updateFact(id: $id, ifMatch: $ifMatch, patch: $patch) { etag fact { id value } } }';
const DELETE = 'mutation($id: ID!, $ifMatch: String!) { deleteFact(id: $id, ifMatch: $ifMatch) { id version } }';
const CELL_IDS = '{ compare(topic: "dns", providers: ["gcp"]) { rows { cells { facts { id value } } } } }';

let app: FastifyInstance;
beforeEach(async () => {
  app = await fixtureApp({ ADMIN_TOKEN: TOKEN });
});
afterEach(async () => {
  await app.close();
});

const codeOf = (answer: Awaited<ReturnType<typeof gql>>) => answer.body.errors?.[0]?.extensions?.code;
const gcpCell = async () => {
  const compare = (await gql(app, CELL_IDS)).body.data?.compare as {
    rows: { cells: { facts: { id: string; value: string }[] }[] }[];
  };
  return compare.rows[0]?.cells[0]?.facts ?? [];
};

describe('GraphQL mutations', () => {
  it('refuses writes with FORBIDDEN when ADMIN_TOKEN is unset, and UNAUTHENTICATED without the right token', async () => {
    const readOnly = await fixtureApp();
    expect(codeOf(await gql(readOnly, CREATE, { input: NEW_FACT }, auth))).toBe('FORBIDDEN');
    await readOnly.close();
    expect(codeOf(await gql(app, CREATE, { input: NEW_FACT }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(app, CREATE, { input: NEW_FACT }, { authorization: 'Bearer wrong-token-wrong-token' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect((await gql(app, CELL_IDS)).body.data).toBeDefined();
    expect((await gcpCell()).map((f) => f.id)).not.toContain(NEW_ID);
  });

  it('creates, updates and deletes a fact with the REST rules, each visible on the next query', async () => {
    const before = await gcpCell();
    const created = await gql(app, CREATE, { input: NEW_FACT }, auth);
    expect(created.body.errors).toBeUndefined();
    const write = created.body.data?.createFact as { etag: string; version: string; fact: { id: string; default: boolean } };
    expect(write.fact).toMatchObject({ id: NEW_ID, default: false, provider: { slug: 'gcp' } });
    expect((await gcpCell()).map((f) => f.id)).toEqual([...before.map((f) => f.id), NEW_ID]);

    expect(codeOf(await gql(app, CREATE, { input: NEW_FACT }, auth))).toBe('CONFLICT');
    expect(codeOf(await gql(app, UPDATE, { id: NEW_ID, ifMatch: '"stale"', patch: { value: 'x' } }, auth))).toBe(
      'PRECONDITION_FAILED',
    );

    const updated = await gql(app, UPDATE, { id: NEW_ID, ifMatch: write.etag, patch: { value: 'CoreDNS, patched' } }, auth);
    const etag = (updated.body.data?.updateFact as { etag: string } | undefined)?.etag;
    expect(etag).not.toBe(write.etag);
    expect((await gcpCell()).find((f) => f.id === NEW_ID)?.value).toBe('CoreDNS, patched');
    // the REST read agrees, with the ETag the mutation returned
    const rest = await app.inject(`/v1/facts/${encodeURIComponent(NEW_ID)}`);
    expect(rest.json().value).toBe('CoreDNS, patched');
    expect(rest.headers.etag).toBe(etag);

    const deleted = await gql(app, DELETE, { id: NEW_ID, ifMatch: etag }, auth);
    expect(deleted.body.data?.deleteFact).toMatchObject({ id: NEW_ID });
    expect((await gcpCell()).map((f) => f.id)).toEqual(before.map((f) => f.id));
    expect(codeOf(await gql(app, `{ fact(id: "${NEW_ID}") { id } }`))).toBe('NOT_FOUND');
  });

  it('names the field of a bad input and keeps the last fact of a cell', async () => {
    const bad = await gql(app, CREATE, { input: { ...NEW_FACT, topic: 'nope' } }, auth);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'topic' });
    const etag = (await app.inject('/v1/facts/aws%2Fdns%2Fndots')).headers.etag as string;
    expect(codeOf(await gql(app, DELETE, { id: 'aws/dns/ndots', ifMatch: etag }, auth))).toBe('CONFLICT');
  });
});
