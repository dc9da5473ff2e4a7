import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding, VersionedCache } from '../../src/kb/response-cache.js';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const COMPARE = '/v1/compare?topic=dns';

describe('compressed responses', () => {
  it('answers br when the client accepts br (preferred over gzip), the same content with a correct length', async () => {
    const plain = await get(COMPARE);
    for (const attempt of ['first (compressing)', 'cached']) {
      const res = await get(COMPARE, { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.statusCode, attempt).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers.vary).toMatch(/Accept-Encoding/);
      expect(res.headers['content-type']).toBe(plain.headers['content-type']);
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(brotliDecompressSync(res.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(res.headers.etag).toBe(`W/${plain.headers.etag}`);
    }
  });

  it('answers gzip to a client that accepts only gzip, on the first request of a URL too', async () => {
    const url = '/v1/compare?topic=load-balancing&providers=aws,gcp';
    const res = await get(url, { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    const plain = await get(url);
    expect(gunzipSync(res.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('sends the identity bytes, unchanged, to clients that do not ask or refuse every coding', async () => {
    const plain = await get(COMPARE);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.headers.etag).toMatch(/^"/);
    for (const accept of ['identity', 'br;q=0, gzip;q=0', '']) {
      const res = await get(COMPARE, { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBeUndefined();
      expect(res.rawPayload.equals(plain.rawPayload)).toBe(true);
    }
  });

  it('does not compress a body under 1 KB', async () => {
    const res = await get('/v1/providers', { 'accept-encoding': 'br' });
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().items).toHaveLength(3);
  });

  it('answers 304 to a tag held in either form, whichever coding is asked', async () => {
    const plain = await get(COMPARE);
    const coded = await get(COMPARE, { 'accept-encoding': 'br' });
    for (const [tag, accept] of [
      [plain.headers.etag, 'br'],
      [coded.headers.etag, 'br'],
      [coded.headers.etag, ''],
      [plain.headers.etag, ''],
    ] as const) {
      const res = await get(COMPARE, { 'if-none-match': String(tag), 'accept-encoding': accept });
      expect(res.statusCode, `${tag} ${accept}`).toBe(304);
      expect(res.headers.vary).toMatch(/Accept-Encoding/);
      expect(res.rawPayload.length).toBe(0);
    }
  });

  it('answers HEAD with the headers of the compressed GET', async () => {
    const got = await get(COMPARE, { 'accept-encoding': 'br' });
    const head = await app.inject({ method: 'HEAD', url: COMPARE, headers: { 'accept-encoding': 'br' } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(got.headers['content-length']);
    expect(head.rawPayload.length).toBe(0);
  });

  it("compresses a `no-cache` request's fresh answer too", async () => {
    const res = await get(COMPARE, { 'accept-encoding': 'br', 'cache-control': 'no-cache' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.rawPayload).toString('utf8'))).toEqual((await get(COMPARE)).json());
  });

  it('never compresses a single fact, whose strong ETag the write API takes in If-Match', async () => {
    const res = await get('/v1/facts/aws/dns/ndots', { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.headers.etag).toMatch(/^"/);
  });

  it('does not compress errors', async () => {
    const res = await get('/v1/compare?topic=nope', { 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('negotiateEncoding', () => {
  it('prefers br, honours q=0 and *', () => {
    expect(negotiateEncoding('gzip, br')).toBe('br');
    expect(negotiateEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0')).toBeUndefined();
    expect(negotiateEncoding('deflate')).toBeUndefined();
    expect(negotiateEncoding(undefined)).toBeUndefined();
  });
});

describe('VersionedCache.encoded', () => {
  it('compresses an entry once for concurrent requests and counts the compressed bytes in the bound', async () => {
    const cache = new VersionedCache(10, 3000);
    cache.get('v1', 'a');
    cache.set('v1', 'a', { body: Buffer.from('x'.repeat(2000)), contentType: 'application/json' });
    const first = cache.encoded('v1', 'a', 'br');
    expect(cache.encoded('v1', 'a', 'br')).toBe(first);
    await first;
    // 2000 bytes plus the compressed ones: a second 2000-byte entry now evicts the first
    cache.set('v1', 'b', { body: Buffer.from('y'.repeat(990)), contentType: 'application/json' });
    expect(cache.size).toBe(1);
    expect(cache.encoded('v1', 'a', 'br')).toBeUndefined();
    expect(cache.encoded('v2', 'b', 'br')).toBeUndefined();
  });
});

describe('compressed responses with CORS', () => {
  it('keeps Vary: Origin beside Vary: Accept-Encoding', async () => {
    const corsApp = await fixtureApp({ CORS_ORIGINS: 'https://portal.example' });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await corsApp.inject({
          method: 'GET',
          url: COMPARE,
          headers: { origin: 'https://portal.example', 'accept-encoding': 'br' },
        });
        expect(res.headers['content-encoding']).toBe('br');
        expect(String(res.headers.vary).split(', ').sort()).toEqual(['Accept-Encoding', 'Origin']);
      }
    } finally {
      await corsApp.close();
    }
  });
});
