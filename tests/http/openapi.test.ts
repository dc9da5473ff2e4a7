import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenapi, OPENAPI_PATH } from '../../scripts/openapi.js';
import { fixtureApp } from '../helpers/app.js';

describe('the OpenAPI document', () => {
  it('is committed exactly as the routes generate it (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(await generateOpenapi());
  });

  it('is served at /openapi.json as OpenAPI 3.1 with a response schema for every operation', async () => {
    const app = await fixtureApp();
    const doc = (await app.inject('/openapi.json')).json();
    await app.close();
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>,
    )) {
      for (const [method, op] of Object.entries(item)) {
        const ok = op.responses['200'] ?? op.responses['201'] ?? op.responses['204'];
        expect(ok, `${method} ${path} declares a success response`).toBeDefined();
      }
    }
    expect(doc.paths['/v1/facts/{id}']).toBeDefined();
  });
});
