import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { DbOpenError, openForServing } from './db/connection.js';
import { ensureSeeded } from './seed/ensure.js';

/** The only file that listens: boot, seed when needed, listen, close gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
let opened: ReturnType<typeof openForServing>;
try {
  opened = openForServing(config.DB_PATH);
} catch (err) {
  if (!(err instanceof DbOpenError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const { db, writable } = opened;
const seeded = ensureSeeded(db, config.SEED_DIR, { readonly: !writable });
const app = await buildApp(config, { db });

if (seeded.action === 'kept-old') {
  // keep serving what the database holds: a crash loop would serve nothing and fix nothing
  const why = {
    'unexported-edits': `seed in ${config.SEED_DIR} changed, but the database holds admin edits not yet exported; the seed was NOT loaded`,
    'invalid-seed': `seed in ${config.SEED_DIR} is invalid; the seed was NOT loaded`,
  }[seeded.problem];
  app.log.error({ reason: seeded.reason }, `${why}; still serving dataset ${seeded.version}. ${seeded.reason}`);
} else {
  app.log.info({ version: seeded.version, action: seeded.action, db: config.DB_PATH, writable }, 'dataset ready');
}
if (!writable) app.log.info({ db: config.DB_PATH }, 'the database is read-only: reads are served, writes answer 503');

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
