import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDb } from './db/connection.js';
import { ensureSeeded } from './seed/ensure.js';

/** The only file that listens: boot, seed when needed, listen, close gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const db = openDb(config.DB_PATH);
const seeded = ensureSeeded(db, config.SEED_DIR);
const app = await buildApp(config, { db });

if (seeded.action === 'kept-old') {
  app.log.error({ reason: seeded.reason }, `seed in ${config.SEED_DIR} is invalid; still serving dataset ${seeded.version}`);
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
