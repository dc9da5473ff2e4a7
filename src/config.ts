import { z } from 'zod';

/** Every environment variable the service reads, with its default (listed in .env.example too). */
/** A comma-separated list of origins (`https://portal.example.com`), each checked to be an origin. */
const originList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DB_PATH: z.string().min(1).default('data/cloudiff.sqlite'),
  SEED_DIR: z.string().min(1).default('seed'),
  ADMIN_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters when set'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: originList,
  /** Origins allowed to frame the /embed/ views (CSP frame-ancestors); unset: no other origin may frame them. */
  EMBED_ORIGINS: originList.refine(
    (list) => list.every((o) => /^https?:\/\/[^/\s;,'"]+$/.test(o)),
    'must be comma-separated origins such as https://portal.example.com',
  ),
  /** The service's public base URL (OpenAPI servers, links and embed snippets); the request's host when unset. */
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, '') : undefined))
    .refine(
      (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
      'must be an http(s) URL such as https://cloudiff.example.com',
    ),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1000),
  STALE_AFTER_DAYS: z.coerce.number().int().min(1).default(180),
  // the memory the process may use, in MiB (a container's memory limit); see memoryFlags
  MEMORY_LIMIT_MB: z.coerce.number().int().min(256).max(65536).default(384),
});

export type Config = z.infer<typeof EnvSchema>;

/** Reads and validates the environment once; a bad value stops the boot with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

/**
 * The share of MEMORY_LIMIT_MB given to V8's old space. The rest is for what the old space does not hold:
 * the young generation, compiled code, SQLite's page cache, buffers and the native heap.
 */
export const OLD_SPACE_SHARE = 0.75;
/** V8's young generation semi-space, in MiB: a small one keeps the resident set close to the live heap. */
export const SEMI_SPACE_MB = 4;

/**
 * The V8 flags MEMORY_LIMIT_MB implies, which scripts/server-command.mjs gives node when it starts the server
 * (`npm start`, the image, the tests, the benchmark). Load shedding derives its thresholds from the same
 * budget and from the heap limit these flags set (src/http/load-shedding.ts); deploy/k8s passes the
 * container's memory limit as MEMORY_LIMIT_MB.
 */
export function memoryFlags(memoryLimitMb: number): string[] {
  return [`--max-semi-space-size=${SEMI_SPACE_MB}`, `--max-old-space-size=${Math.floor(memoryLimitMb * OLD_SPACE_SHARE)}`];
}
