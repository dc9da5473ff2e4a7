import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDb } from './db/connection.js';
import { ensureSeededAsync } from './seed/ensure.js';

/** The only file that listens: boot, seed when needed, listen, close gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const db = openDb(config.DB_PATH);
const seeded = await ensureSeededAsync(db, config.SEED_DIR);
const app = await buildApp(config, { db, snapshot: seeded.action === 'loaded' ? seeded.snapshot : undefined });

if (seeded.action === 'kept-old') {
  // keep serving what the database holds: a crash loop would serve nothing and fix nothing
  const why =
    seeded.problem === 'unexported-edits'
      ? `seed in ${config.SEED_DIR} changed, but the database holds admin edits not yet exported; the seed was NOT loaded`
      : `seed in ${config.SEED_DIR} is invalid; the seed was NOT loaded`;
  app.log.error({ reason: seeded.reason }, `${why}; still serving dataset ${seeded.version}. ${seeded.reason}`);
} else {
  app.log.info({ version: seeded.version, action: seeded.action, db: config.DB_PATH }, 'dataset ready');
}

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing: finishing in-flight requests');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    db.$client.close();
    clearTimeout(timer);
    process.exit(0);
  });
}

await app.listen({ port: config.PORT, host: config.HOST });
