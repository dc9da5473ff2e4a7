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
});
