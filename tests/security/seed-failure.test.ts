import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_SEED, tempDir } from '../helpers/app.js';
import { type RunningServer, startServer } from '../helpers/server.js';

const TOKEN = 'seed-failure-admin-token-01';

/** The real server on a copy of the fixture seed, restarted after edits to the seed the way an operator would. */
describe('restarting the server after a seed change', () => {
  const seedDir = tempDir();
  cpSync(FIXTURE_SEED, seedDir, { recursive: true });
  const env = { DB_PATH: join(tempDir(), 'db.sqlite'), SEED_DIR: seedDir, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info' };
  const dnsFile = join(seedDir, 'dns.yaml');
  const original = readFileSync(dnsFile, 'utf8');
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  const fact = async (id: string) => {
    const res = await fetch(`${server?.url}/v1/facts/${encodeURIComponent(id)}`);
    return { status: res.status, etag: res.headers.get('etag') ?? '', body: (await res.json()) as { value: string } };
  };

  it('keeps serving the old data, and says why, after a bad seed edit', async () => {
    server = await startServer(env);
    const version = ((await (await fetch(`${server.url}/v1/dataset`)).json()) as { version: string }).version;
    expect(await server.stop('SIGTERM')).toBe(0);

    writeFileSync(dnsFile, original.replace('confidence: high', 'confidence: certain'));
    server = await startServer(env);
    const dataset = (await (await fetch(`${server.url}/v1/dataset`)).json()) as { version: string };
    expect(dataset.version).toBe(version);
    expect((await fact('aws/dns/ndots')).body.value).toBe('ndots 5');
    expect(server.output()).toMatch(/seed in .* is invalid; the seed was NOT loaded; still serving dataset/);
    expect(server.output()).toMatch(/dns\.yaml: dimensions\[0\]\.facts\.aws\[0\]\.confidence/);
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('keeps unexported admin edits, and serves them, when the seed changed under them', async () => {
    writeFileSync(dnsFile, original);
    server = await startServer(env);
    const { etag } = await fact('aws/dns/ndots');
    const res = await fetch(`${server.url}/v1/facts/aws%2Fdns%2Fndots`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-match': etag },
      body: JSON.stringify({ value: 'ndots 1 (admin edit)' }),
    });
    expect(res.status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);

    writeFileSync(dnsFile, original.replaceAll('ndots 5', 'ndots 6'));
    server = await startServer(env);
    expect((await fact('aws/dns/ndots')).body.value).toBe('ndots 1 (admin edit)');
    expect((await fact('azure/dns/ndots')).body.value).toBe('ndots 5');
    expect(server.output()).toMatch(/admin edits not yet exported; the seed was NOT loaded/);
    expect(server.output()).toMatch(/npm run export/);
    expect(server.output()).not.toContain(TOKEN);
  });
});

/** Seed entries that are not files: the boot must neither crash nor hang, and must name the entry. */
describe('restarting the server when a seed entry cannot be read as a file', () => {
  it.each([
    ['a directory', (path: string) => mkdirSync(path), /dns\.yaml: is a directory, not a seed file/],
    ['a symlink to /dev/zero', (path: string) => symlinkSync('/dev/zero', path), /dns\.yaml: is not a regular file/],
  ])('keeps serving the old data when dns.yaml is %s', async (_name, replace, problem) => {
    const seedDir = tempDir();
    cpSync(FIXTURE_SEED, seedDir, { recursive: true });
    const env = { DB_PATH: join(tempDir(), 'db.sqlite'), SEED_DIR: seedDir, LOG_LEVEL: 'info' };
    let server = await startServer(env);
    expect(await server.stop('SIGTERM')).toBe(0);

    const dnsFile = join(seedDir, 'dns.yaml');
    rmSync(dnsFile);
    replace(dnsFile);
    server = await startServer(env);
    try {
      const res = await fetch(`${server.url}/v1/facts/${encodeURIComponent('aws/dns/ndots')}`);
      expect(res.status).toBe(200);
      expect(server.output()).toMatch(/the seed was NOT loaded; still serving dataset/);
      expect(server.output()).toMatch(problem);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
