import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The project's root folder: the nearest folder above this file holding package.json (two up
 * from src/config when run through tsx, three up from dist/src/config when compiled).
 */
export const ROOT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
})();

/** Whether this is the compiled JavaScript (`npm run build`, `node dist/src/cli.js`). */
export const COMPILED = __filename.endsWith('.js');

/**
 * The password of the official Neo4j examples and of this project's earlier releases: public, so
 * refused in production (a random one is made for the local Neo4j; see src/db/local.ts).
 */
export const PUBLIC_DEFAULT_PASSWORD = 'local-dev-password';

/** A boolean switch: `1`/`true`/`yes` turn it on; unset, empty, `0`/`false`/`no` leave it off. */
const flag = z
  .enum(['', '0', '1', 'true', 'false', 'yes', 'no'])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NEO4J_URI: z.string().min(1).optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  /** Unset with the local Neo4j: its random password from NEO4J_LOCAL_HOME/password is used. */
  NEO4J_PASSWORD: z.string().min(8).optional(),
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
  /** Production unless said otherwise when running the compiled build; development under tsx. */
  NODE_ENV: z.string().default(COMPILED ? 'production' : 'development'),
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
  // Load shedding (docs/reliability.md): analyses of incidents (cache misses) running at once, and
  // waiting; beyond both, SERVICE_UNAVAILABLE (HTTP 503, Retry-After) at once. 0 running: no gate.
  ANALYSIS_MAX_RUNNING: z.coerce.number().int().min(0).default(16),
  ANALYSIS_MAX_QUEUED: z.coerce.number().int().min(0).default(128),
  // ... and GraphQL requests in flight (from arrival to the end of the response) and waiting.
  REQUESTS_MAX_RUNNING: z.coerce.number().int().min(0).default(128),
  REQUESTS_MAX_QUEUED: z.coerce.number().int().min(0).default(256),
  // Hardening: what one request may make the database do (docs/reliability.md, enforced in Db).
  QUERY_MAX_STATEMENTS: z.coerce.number().int().min(1).default(500),
  QUERY_MAX_CONCURRENT_STATEMENTS: z.coerce.number().int().min(1).default(4),
  // Hardening: rate limits (rate-limiter-flexible). 0 turns a limit off.
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_POINTS: z.coerce.number().int().min(0).default(50_000),
  // Hardening: production mode.
  ENABLE_INTROSPECTION: flag,
  // Sign-in with OpenID Connect (docs/sign-in.md): bearer JWTs from this issuer, beside API keys.
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URI: z.url().optional(),
  OIDC_ALGORITHMS: z
    .string()
    .default('RS256,PS256,ES256,EdDSA')
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum([
            'RS256',
            'RS384',
            'RS512',
            'PS256',
            'PS384',
            'PS512',
            'ES256',
            'ES384',
            'ES512',
            'EdDSA',
          ]),
        )
        .min(1),
    ),
  OIDC_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30),
  OIDC_ROLE_CLAIM: z.string().min(1).default('attribution_role'),
  OIDC_ACTOR_CLAIM: z.string().min(1).default('attribution_actor'),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
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
  const parsed = EnvSchema.superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.NEO4J_PASSWORD === PUBLIC_DEFAULT_PASSWORD)
      ctx.addIssue({
        code: 'custom',
        path: ['NEO4J_PASSWORD'],
        message: `"${PUBLIC_DEFAULT_PASSWORD}" is a published default and is refused in production; set a secret password`,
      });
    if (c.OIDC_ISSUER && !c.OIDC_AUDIENCE)
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_AUDIENCE'],
        message: "is required with OIDC_ISSUER (the API's audience in the issuer's access tokens)",
      });
    if (c.NEO4J_URI && !c.NEO4J_PASSWORD)
      ctx.addIssue({
        code: 'custom',
        path: ['NEO4J_PASSWORD'],
        message: 'is required with NEO4J_URI (the password of that server)',
      });
  }).safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
