import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { type Db, openDb } from './db/connection.js';
import graphql from './graphql/index.js';
import auth from './http/auth.js';
import caching from './http/caching.js';
import cors from './http/cors.js';
import drain from './http/drain.js';
import errors from './http/errors.js';
import loadShedding, { type LoadSheddingOptions } from './http/load-shedding.js';
import openapi from './http/openapi.js';
import rateLimit from './http/rate-limit.js';
import adminRoutes from './http/routes/admin.js';
import askRoutes from './http/routes/ask.js';
import calculatorRoutes from './http/routes/calculators.js';
import catalogRoutes from './http/routes/catalog.js';
import compareRoutes from './http/routes/compare.js';
import datasetRoutes from './http/routes/dataset.js';
import factRoutes from './http/routes/facts.js';
import healthRoutes from './http/routes/health.js';
import searchRoutes from './http/routes/search.js';
import timelineRoutes from './http/routes/timeline.js';
import securityHeaders from './http/security.js';
import { errorBody } from './kb/errors.js';
import { Kb } from './kb/kb.js';
import mcp from './mcp/plugin.js';
import { LOCK_FILE, readLock } from './seed/watch.js';
import web from './web/plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    kb: Kb;
  }
}

export interface AppDeps {
  /** An open, migrated and seeded database; by default the one at config.DB_PATH. */
  db?: Db;
  logger?: FastifyServerOptions['logger'];
  /** Overrides of the load-shedding limits (tests simulate pressure with them). */
  loadShedding?: LoadSheddingOptions;
}

/** The whole service as one Fastify instance: REST under /v1, docs, probes. Listening is server.ts's job. */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const db = deps.db ?? openDb(config.DB_PATH);
  const lockPath = join(config.SEED_DIR, LOCK_FILE);
  // the last `npm run sources:check` run, which GET /v1/dataset reports; a broken lock file must not break it
  const sourcesWatch = () => {
    try {
      return readLock(lockPath).last_run;
    } catch (err) {
      app.log.warn({ err, path: lockPath }, 'source-watch lock file unreadable; sources_watch reported as null');
      return null;
    }
  };
  const kb = new Kb(db, {
    staleAfterDays: config.STALE_AFTER_DAYS,
    sourcesWatch,
    // a write that cannot be kept is refused with 503; the operator must hear of it once, loudly
    onWriteProblem: (problem) => app.log.error({ db: db.$client.name }, `writes are not possible: ${problem}`),
  });
  // read now, before load shedding starts watching the event loop: a big dataset's snapshot would count as
  // event-loop delay and answer 503 (readiness probe included) for a while after listen
  kb.snapshot();

  const app = Fastify({
    logger: deps.logger ?? { level: config.LOG_LEVEL },
    // fact ids are long and contain `/`; 1 KiB bounds the router's work on hostile paths
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    bodyLimit: 256 * 1024,
    requestTimeout: 30_000,
    // Node looks for timed-out requests on this interval (30 s by default): checked every second, a request is
    // closed within a second of requestTimeout
    http: { connectionsCheckingInterval: 1_000 },
    connectionTimeout: 60_000,
    return503OnClosing: true,
    // a URL the router cannot decode (`%E0%A4%A`) is a client error in the API's error shape
    frameworkErrors: (err, _request, reply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 400;
      (reply as FastifyReply).code(status).send(errorBody(status, err.message));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('kb', kb);
  app.addHook('onClose', async () => {
    if (!deps.db) db.$client.close();
  });

  await app.register(errors);
  // hardening first: their hooks must see every route registered after them, whoever registers it
  await app.register(securityHeaders, { embedOrigins: config.EMBED_ORIGINS });
  await app.register(cors, { origins: config.CORS_ORIGINS });
  await app.register(loadShedding, { memoryLimitMb: config.MEMORY_LIMIT_MB, ...deps.loadShedding });
  await app.register(drain);
  await app.register(rateLimit, { perMinute: config.RATE_LIMIT_PER_MINUTE });
  await app.register(auth, { token: config.ADMIN_TOKEN });
  await app.register(openapi, { publicUrl: config.PUBLIC_URL });
  await app.register(caching, { kb });
  await app.register(healthRoutes, { kb });
  await app.register(graphql, { kb });
  await app.register(mcp, { kb });
  await app.register(
    async (v1) => {
      await v1.register(catalogRoutes, { kb });
      await v1.register(factRoutes, { kb });
      await v1.register(compareRoutes, { kb });
      await v1.register(searchRoutes, { kb });
      await v1.register(askRoutes, { kb });
      await v1.register(timelineRoutes, { kb });
      await v1.register(calculatorRoutes, { kb });
      await v1.register(datasetRoutes, { kb });
      await v1.register(adminRoutes, { kb });
    },
    { prefix: '/v1' },
  );
  await app.register(web, { kb, publicUrl: config.PUBLIC_URL });
  return app;
}
