import path from 'node:path';
import { z } from 'zod';

/** The project's root folder (where package.json lives). */
export const ROOT = path.resolve(__dirname, '..', '..');

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
  NEO4J_TX_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
