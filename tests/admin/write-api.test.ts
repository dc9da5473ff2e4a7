import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { auth, NEW_FACT, NEW_ID, TOKEN } from '../helpers/admin.js';
import { fixtureApp, NO_LOAD_SHEDDING, seededDb, testConfig } from '../helpers/app.js';

const url = (id: string) => `/v1/facts/${encodeURIComponent(id)}`;

function expectError(res: LightMyRequestResponse, status: number, message: RegExp) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode).toBe(status);
  expect(body.message).toMatch(message);
}

let app: FastifyInstance;
beforeEach(async () => {
  app = await fixtureApp({ ADMIN_TOKEN: TOKEN });
});
afterEach(async () => {
  await app.close();
});

const post = (payload: unknown, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url: '/v1/facts', headers, payload: payload as object });
const patch = (id: string, payload: unknown, ifMatch?: string, headers: Record<string, string> = auth) =>
  app.inject({
    method: 'PATCH',
    url: url(id),
    headers: { ...headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    payload: payload as object,
  });
const del = (id: string, ifMatch?: string) =>
  app.inject({ method: 'DELETE', url: url(id), headers: { ...auth, ...(ifMatch ? { 'if-match': ifMatch } : {}) } });
const etagOf = async (id: string) => (await app.inject(url(id))).headers.etag as string;

describe('authentication of the write API', () => {
  it('answers 403 saying how to enable writes when ADMIN_TOKEN is unset', async () => {
    const readOnly = await fixtureApp();
    const res = await readOnly.inject({ method: 'POST', url: '/v1/facts', headers: auth, payload: NEW_FACT });
    await readOnly.close();
    expectError(res, 403, /writes are disabled.*set ADMIN_TOKEN/);
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token, with a wrong one, or another scheme', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
      { authorization: `Bearer ${TOKEN} extra` },
    ]) {
      const res = await post(NEW_FACT, headers);
      expectError(res, 401, /authentication required/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="cloudiff"/);
    }
    expect((await app.inject(url(NEW_ID))).statusCode).toBe(404);
  });

  it('checks the token before looking at the body, and guards PATCH and DELETE too', async () => {
    expectError(await post({ nonsense: true }, {}), 401, /authentication required/);
    expectError(await patch('aws/dns/ndots', { value: 'x' }, '*', {}), 401, /authentication required/);
    const res = await app.inject({ method: 'DELETE', url: url('aws/dns/ndots'), headers: { 'if-match': '*' } });
    expectError(res, 401, /authentication required/);
  });

  it('never writes the token to the log, and records a hash prefix as the actor', async () => {
    let logged = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        logged += chunk;
        done();
      },
    });
    const logging = await buildApp(testConfig({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'trace' }), {
      loadShedding: NO_LOAD_SHEDDING,
      db: seededDb(),
      logger: { level: 'trace', stream },
    });
    expect((await logging.inject({ method: 'POST', url: '/v1/facts', headers: auth, payload: NEW_FACT })).statusCode).toBe(201);
    await logging.inject({ method: 'POST', url: '/v1/facts', headers: { authorization: 'Bearer guessed-token-123456' } });
    const history = (await logging.inject(`/v1/facts/gcp/dns/cluster-dns-server%23coredns-add-on/history`)).json();
    await logging.close();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('guessed-token');
    expect(history.items[0].actor).toMatch(/^admin:[0-9a-f]{8}$/);
    expect(JSON.stringify(history)).not.toContain(TOKEN);
  });
});

describe('POST /v1/facts', () => {
  it('creates a variant and answers 201 with the fact, its Location and the ETag GET gives', async () => {
    const res = await post(NEW_FACT);
    expect(res.statusCode).toBe(201);
    const { provider, topic, dimension, ...rest } = NEW_FACT;
    // verified is the oldest checked date of the sources; applies is {} for a fact that holds everywhere
    expect(res.json()).toEqual({
      id: NEW_ID,
      provider,
      topic,
      dimension,
      ...rest,
      default: false,
      applies: {},
      verified: '2026-11-20',
    });
    expect(res.headers.location).toBe(url(NEW_ID));
    expect(res.headers.etag).toMatch(/^"f-[A-Za-z0-9_-]{22}"$/);
    const read = await app.inject(url(NEW_ID));
    expect(read.json()).toEqual(res.json());
    expect(read.headers.etag).toBe(res.headers.etag);
  });

  it('answers 409 when the fact exists', async () => {
    expect((await post(NEW_FACT)).statusCode).toBe(201);
    expectError(await post(NEW_FACT), 409, /fact "gcp\/dns\/cluster-dns-server#coredns-add-on" already exists/);
  });

  it('answers 400 naming an unknown topic, dimension or provider', async () => {
    expectError(
      await post({ ...NEW_FACT, topic: 'nope' }),
      400,
      /field "topic": unknown topic "nope"; use one of dns, load-balancing/,
    );
    expectError(
      await post({ ...NEW_FACT, dimension: 'nope' }),
      400,
      /field "dimension": unknown dimension "nope" in topic dns; use one of cluster-dns-server, ndots/,
    );
    expectError(await post({ ...NEW_FACT, provider: 'ibm' }), 400, /body field "provider"/);
  });

  it('answers 400 naming the field for a bad body', async () => {
    expectError(await post({ ...NEW_FACT, sources: [] }), 400, /body field "sources": at least one source is required/);
    expectError(
      await post({ ...NEW_FACT, sources: [{ url: 'javascript:alert(1)', title: 'x' }] }),
      400,
      /body field "sources\.0\.url"/,
    );
    expectError(await post({ ...NEW_FACT, verified: 'yesterday' }), 400, /body field "verified"/);
    expectError(await post({ ...NEW_FACT, value: 'two\nlines' }), 400, /body field "value": must be a single line/);
    expectError(await post({ ...NEW_FACT, extra: 1 }), 400, /extra/);
    expectError(await post({ ...NEW_FACT, variant: '!!!' }), 400, /field "variant": must contain a letter or digit/);
  });

  it('refuses to break a cell: a fact without variant beside variants, or a variant beside a plain fact', async () => {
    const { variant: _v, ...plain } = NEW_FACT;
    expectError(await post(plain), 400, /field "variant": required/);
    expectError(
      await post({ ...NEW_FACT, provider: 'aws' }),
      409,
      /the cell aws on dns\/cluster-dns-server holds "aws\/dns\/cluster-dns-server", a fact without a variant/,
    );
  });

  it('keeps exactly one default per cell when the new variant is the default', async () => {
    expect((await post({ ...NEW_FACT, default: true })).statusCode).toBe(201);
    const cell = (await app.inject('/v1/compare?topic=dns&providers=gcp')).json().rows[0].cells.gcp as {
      id: string;
      default: boolean;
    }[];
    expect(cell.filter((f) => f.default).map((f) => f.id)).toEqual([NEW_ID]);
    expect(cell[0]?.id).toBe(NEW_ID);
  });
});

describe('PATCH /v1/facts/{id}', () => {
  const id = 'azure/dns/cluster-dns-server';

  it('changes the given fields, keeps the others, and answers the new ETag', async () => {
    const before = await app.inject(url(id));
    const res = await patch(id, { value: 'CoreDNS, edited', confidence: 'medium' }, before.headers.etag as string);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...before.json(), value: 'CoreDNS, edited', confidence: 'medium' });
    expect(res.headers.etag).not.toBe(before.headers.etag);
    expect(await etagOf(id)).toBe(res.headers.etag);
  });

  it('answers 428 without If-Match and 412 with a stale one', async () => {
    expectError(await patch(id, { value: 'x' }), 428, /requires If-Match/);
    const etag = await etagOf(id);
    expect((await patch(id, { value: 'first' }, etag)).statusCode).toBe(200);
    expectError(await patch(id, { value: 'second' }, etag), 412, /changed since the ETag you sent/);
    expect((await app.inject(url(id))).json().value).toBe('first');
  });

  it('answers 404 for an unknown fact and 400 for an empty or unknown change', async () => {
    expectError(await patch('aws/dns/nope', { value: 'x' }, '*'), 404, /fact "aws\/dns\/nope" not found/);
    expectError(await patch(id, {}, '*'), 400, /give at least one of value, key, status, applies, changes, details/);
    expectError(await patch(id, { variant: 'renamed' }, '*'), 400, /variant/);
  });

  it('moves the default with default: true and refuses default: false on the default (409)', async () => {
    const kubeDns = 'gcp/dns/cluster-dns-server#kube-dns';
    const cloudDns = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';
    expectError(await patch(kubeDns, { default: false }, await etagOf(kubeDns)), 409, /keeps exactly one default/);
    const oldDefaultEtag = await etagOf(kubeDns);
    expect((await patch(cloudDns, { default: true }, await etagOf(cloudDns))).statusCode).toBe(200);
    expect((await app.inject(url(kubeDns))).json().default).toBe(false);
    expect((await app.inject(url(cloudDns))).json().default).toBe(true);
    // the fact that lost the flag changed too: its old ETag no longer matches
    expectError(await patch(kubeDns, { value: 'x' }, oldDefaultEtag), 412, /changed since/);
  });

  it('lets exactly one of several parallel PATCHes with the same If-Match win; the others get 412', async () => {
    const etag = await etagOf(id);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => patch(id, { value: `writer ${i}` }, etag)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 412)).toHaveLength(11);
    const winner = results.find((r) => r.statusCode === 200)?.json().value;
    expect((await app.inject(url(id))).json().value).toBe(winner);
  });
});

describe('DELETE /v1/facts/{id}', () => {
  it('removes a variant (204) and the fact is gone from reads and search', async () => {
    const id = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';
    expectError(await del(id), 428, /requires If-Match/);
    expectError(await del(id, '"f-stale"'), 412, /changed since/);
    const res = await del(id, await etagOf(id));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await app.inject(url(id))).statusCode).toBe(404);
    const hits = (await app.inject('/v1/search?q=cloud%20dns&limit=50')).json().items.map((h: { id: string }) => h.id);
    expect(hits).not.toContain(id);
  });

  it('refuses (409) to delete the last fact of a cell or the default of a cell', async () => {
    expectError(
      await del('aws/dns/ndots', '*'),
      409,
      /only fact of aws on dns\/ndots: every dimension keeps a fact for every provider/,
    );
    expectError(await del('gcp/dns/cluster-dns-server#kube-dns', '*'), 409, /is the default of its cell/);
    expect((await app.inject(url('aws/dns/ndots'))).statusCode).toBe(200);
  });
});

describe('a write is visible on the very next read', () => {
  it('changes GET /v1/facts/{id}, /v1/compare and /v1/search, and old ETags no longer give 304', async () => {
    const id = 'aws/load-balancing/default-lb-for-service';
    const compareUrl = '/v1/compare?topic=load-balancing';
    const searchUrl = '/v1/search?q=zeppelin';
    const fact = await app.inject(url(id));
    const compare = await app.inject(compareUrl);
    const dataset = await app.inject('/v1/dataset');
    expect((await app.inject({ url: compareUrl, headers: { 'if-none-match': compare.headers.etag as string } })).statusCode).toBe(
      304,
    );
    expect((await app.inject(searchUrl)).json().items).toEqual([]);

    const res = await patch(id, { value: 'A Zeppelin load balancer' }, fact.headers.etag as string);
    expect(res.statusCode).toBe(200);

    const fact2 = await app.inject({ url: url(id), headers: { 'if-none-match': fact.headers.etag as string } });
    expect(fact2.statusCode).toBe(200);
    expect(fact2.json().value).toBe('A Zeppelin load balancer');
    const compare2 = await app.inject({ url: compareUrl, headers: { 'if-none-match': compare.headers.etag as string } });
    expect(compare2.statusCode).toBe(200);
    expect(compare2.json().rows[0].cells.aws[0].value).toBe('A Zeppelin load balancer');
    expect(compare2.json().dataset.version).toMatch(/^[0-9a-f]{16}-r1$/);
    const search = (await app.inject(searchUrl)).json();
    expect(search.items.map((h: { id: string }) => h.id)).toContain(id);
    const dataset2 = (await app.inject('/v1/dataset')).json();
    expect(dataset2.revision).toBe(dataset.json().revision + 1);
  });
});

describe('GET /v1/facts/{id}/history and /v1/changes', () => {
  it('lists every change to a fact with who, when, before and after', async () => {
    const id = 'azure/dns/ndots';
    const before = (await app.inject(url(id))).json();
    await patch(id, { value: 'ndots 5 (edited)' }, await etagOf(id));
    const res = await app.inject('/v1/facts/azure/dns/ndots/history');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.id).toBe(id);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      action: 'update',
      fact_id: id,
      exported: false,
      before,
      after: { value: 'ndots 5 (edited)' },
    });
    expect(body.items[0].actor).toMatch(/^admin:[0-9a-f]{8}$/);
    expect(Date.parse(body.items[0].at)).not.toBeNaN();
  });

  it('pages a long history with limit and cursor, oldest first, and names a cursor it did not issue', async () => {
    const id = 'azure/dns/ndots';
    for (const n of [1, 2, 3]) await patch(id, { value: `ndots ${n}` }, await etagOf(id));
    const first = (await app.inject('/v1/facts/azure/dns/ndots/history?limit=2')).json();
    expect(first.items.map((r: { after: { value: string } }) => r.after.value)).toEqual(['ndots 1', 'ndots 2']);
    expect(first.next).toEqual(expect.any(String));
    const second = (await app.inject(`/v1/facts/azure/dns/ndots/history?limit=2&cursor=${first.next}`)).json();
    expect(second.items.map((r: { after: { value: string } }) => r.after.value)).toEqual(['ndots 3']);
    expect(second.next).toBeNull();
    expectError(await app.inject('/v1/facts/azure/dns/ndots/history?cursor=nope'), 400, /query parameter "cursor"/);
    expectError(await app.inject('/v1/facts/azure/dns/ndots/history?limit=201'), 400, /query parameter "limit"/);
  });

  it('never confuses a history path with a fact id: encoded ids are redirected, segment ids served', async () => {
    const redirect = await app.inject(`${url('gcp/dns/cluster-dns-server#kube-dns')}/history`);
    expect(redirect.statusCode).toBe(308);
    expect(redirect.headers.location).toBe('/v1/facts/gcp/dns/cluster-dns-server%23kube-dns/history');
    const history = await app.inject(redirect.headers.location as string);
    expect(history.json()).toEqual({ id: 'gcp/dns/cluster-dns-server#kube-dns', items: [], next: null });
    expectError(await app.inject('/v1/facts/aws/dns/nope/history'), 404, /fact "aws\/dns\/nope" not found/);
  });

  it('keeps the history of a deleted fact', async () => {
    const id = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';
    expect((await del(id, await etagOf(id))).statusCode).toBe(204);
    const body = (await app.inject('/v1/facts/gcp/dns/cluster-dns-server%23cloud-dns-for-gke/history')).json();
    expect(body.items.map((i: { action: string }) => i.action)).toEqual(['delete']);
    expect(body.items[0].after).toBeNull();
  });

  it('lists creates, updates, deletes and reseeds after a time, oldest first', async () => {
    const all = (await app.inject('/v1/changes?since=2000-01-01')).json();
    expect(all.items.map((i: { action: string }) => i.action)).toEqual(['reseed']);
    const start = all.items[0].at as string;
    expect((await post(NEW_FACT)).statusCode).toBe(201);
    expect((await patch(NEW_ID, { value: 'changed' }, await etagOf(NEW_ID))).statusCode).toBe(200);
    const changes = (await app.inject(`/v1/changes?since=${encodeURIComponent(start)}`)).json();
    expect(changes.items.map((i: { action: string; fact_id: string }) => [i.action, i.fact_id])).toEqual([
      ['create', NEW_ID],
      ['update', NEW_ID],
    ]);
    expect(changes.has_more).toBe(false);
    const limited = (await app.inject(`/v1/changes?since=${encodeURIComponent(start)}&limit=1`)).json();
    expect(limited.items).toHaveLength(1);
    expect(limited.has_more).toBe(true);
    const later = (await app.inject(`/v1/changes?since=${encodeURIComponent(changes.items[1].at)}`)).json();
    expect(later.items).toEqual([]);
  });

  it('answers 400 naming since when it is not an ISO time', async () => {
    for (const since of ['yesterday', '2026-02-30', '2026-01-01T10:00', '1700000000', '']) {
      expectError(await app.inject(`/v1/changes?since=${since}`), 400, /query parameter "since"/);
    }
    expectError(await app.inject('/v1/changes'), 400, /query parameter "since": is required/);
  });
});
