import path from 'node:path';
import { z } from 'zod';

/** The project's root folder (where package.json lives). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** A boolean switch: `1`/`true`/`yes` turn it on; unset, empty, `0`/`false`/`no` leave it off. */
const flag = z
  .enum(['', '0', '1', 'true', 'false', 'yes', 'no'])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NEO4J_URI: z.string().min(1).optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().min(8).default('local-dev-password'),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NEO4J_LOCAL_PORT: z.coerce.number().int().min(1).max(65535).default(7687),
  NEO4J_LOCAL_HOME: z
    .string()
    .min(1)
    .default(path.join(ROOT, '.neo4j', 'dev')),
  /** Memory of the project's local Neo4j (JVM heap, page cache); the bench sizes them up. */
  NEO4J_LOCAL_HEAP: z
    .string()
    .regex(/^\d+[kmg]$/, 'must look like 512m or 2g')
    .default('1g'),
  NEO4J_LOCAL_PAGECACHE: z
    .string()
    .regex(/^\d+[kmg]$/, 'must look like 256m or 2g')
    .default('256m'),
  NEO4J_TX_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  NEO4J_POOL_SIZE: z.coerce.number().int().min(1).default(100),
  NEO4J_ACQUISITION_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Hardening (docs/reliability.md): request limits.
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // Hardening: GraphQL query limits (graphql-armor).
  QUERY_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  QUERY_MAX_COST: z.coerce.number().int().min(1).default(5000),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(10).default(2000),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  // Speed (docs/scaling.md): bytes for the process's caches of bundles and assessments (0: off).
  CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  // Hardening: what one request may make the database do (docs/reliability.md, enforced in Db).
  QUERY_MAX_STATEMENTS: z.coerce.number().int().min(1).default(500),
  QUERY_MAX_CONCURRENT_STATEMENTS: z.coerce.number().int().min(1).default(4),
  // Hardening: rate limits (rate-limiter-flexible). 0 turns a limit off.
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_POINTS: z.coerce.number().int().min(0).default(50_000),
  // Hardening: production mode.
  ENABLE_INTROSPECTION: flag,
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
});

export type Config = z.infer<typeof EnvSchema>;

/**
 * Reads the configuration from the environment once, failing with the variable's name when a
 * value is malformed (a bad PORT must not fall back silently to a default).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
