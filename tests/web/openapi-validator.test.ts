import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';

const doc = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../openapi/openapi.json'), 'utf8'));

describe('openapi/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document for a second validator, every $ref resolving', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('holds no $id or $schema in component schemas (they move the base of every $ref)', () => {
    const text = JSON.stringify(doc.components.schemas);
    expect(text).not.toContain('"$id"');
    expect(text).not.toContain('"$schema"');
  });

  it('shows a real example, from the fixture seed, for the success answer of every GET operation', () => {
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, { get?: { responses: Record<string, { content?: Record<string, { example?: unknown }> }> } }>,
    )) {
      if (!item.get) continue;
      const ok = item.get.responses['200']?.content?.['application/json'];
      if (ok) expect(ok.example, `GET ${path}`).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/v1/compare'].get.responses['200'].content['application/json'].example)).toContain(
      'CoreDNS',
    );
  });
});
