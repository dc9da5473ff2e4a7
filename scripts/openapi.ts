// `npm run openapi`: writes openapi/openapi.json from the route schemas (a test fails when it drifts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';

export const OPENAPI_PATH = resolve(import.meta.dirname, '../openapi/openapi.json');

/** The document as committed: generated from an app on an empty database, so data never leaks into it. */
export async function generateOpenapi(): Promise<string> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN: 'openapi-generation-token' }), {
    db: openDb(':memory:'),
  });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(resolve(OPENAPI_PATH, '..'), { recursive: true });
  writeFileSync(OPENAPI_PATH, await generateOpenapi());
  console.log(`wrote ${OPENAPI_PATH}`);
}
