import { COMMITTED_KEY_IDS, KeyError, PublicKeySet, signingKeyFromPem, type SigningKey } from '@relationship/auth';
import { TOPIC_PREFIX_PATTERN, TOPIC_PREFIX_RULE } from '@relationship/contracts';
import { z } from 'zod';

/** Thrown at start-up when the environment does not describe a runnable service; lists every problem at once. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

// 0 lets tests and tools pick a free port.
const port = z.coerce.number().int().min(0).max(65535);

/** Settings every HTTP service shares. */
export const httpEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo mode seeds demo accounts and data; refused in production. */
  DEMO_MODE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const databaseEnv = z.object({
  DATABASE_URL: z.string().regex(/^(mysql|mariadb):\/\/.+\/[A-Za-z0-9_]+$/, 'must be mysql://user:pass@host:port/schema'),
  /** MariaDB locally and in CI; `mysql` for a MySQL 8 deployment. */
  DB_DRIVER: z.enum(['mariadb', 'mysql']).default('mariadb'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
});

export const kafkaEnv = z.object({
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((v) => v.split(',').map((b) => b.trim()).filter(Boolean)),
  /** Consumer group id; defaults to the service name (tests use their own). */
  KAFKA_CONSUMER_GROUP: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional(),
  /** Delivery attempts before a message goes to the dead-letter topic. */
  KAFKA_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** How long start-up waits for the provisioned topics before it fails. */
  KAFKA_TOPICS_WAIT_S: z.coerce.number().int().min(1).max(3600).default(60),
  /** Namespace before every topic (tests: `test.`), so a test run never feeds the demo's consumers. */
  KAFKA_TOPIC_PREFIX: z.string().regex(TOPIC_PREFIX_PATTERN, TOPIC_PREFIX_RULE).default(''),
});

/** A key in the environment, parsed once at start-up; a bad one is named by its problem, never echoed. */
function keyVariable<T>(parse: (value: string) => T) {
  return z.string({ error: 'required' }).transform((value, ctx) => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof KeyError ? error.message : 'is not a usable key' });
      return z.NEVER;
    }
  });
}

export const redisEnv = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be redis://host:port'),
});

/** What every service that verifies access tokens reads: public keys only, and Redis for the revoked users. */
export const jwtEnv = z.object({
  /** JWKS of identity's public signing keys (the current one and, during a rotation, the other). */
  JWT_PUBLIC_KEYS: keyVariable(PublicKeySet.fromJwks),
  JWT_ISSUER: z.string().default('relationship-identity'),
  JWT_AUDIENCE: z.string().default('relationship'),
  ...redisEnv.shape,
});

/** identity alone: the private key access tokens are signed with. */
export const jwtSigningEnv = z.object({
  /** PKCS#8 PEM of an EC P-256 key; its kid is its RFC 7638 thumbprint. */
  JWT_PRIVATE_KEY: keyVariable(signingKeyFromPem),
});

/** Production never trusts a key pair whose private half is in the repository. */
function committedKeyProblems(config: { JWT_PUBLIC_KEYS?: unknown; JWT_PRIVATE_KEY?: unknown }): string[] {
  const problems: string[] = [];
  if (config.JWT_PUBLIC_KEYS instanceof PublicKeySet) {
    const committed = config.JWT_PUBLIC_KEYS.kids.filter((kid) => COMMITTED_KEY_IDS.has(kid));
    if (committed.length) problems.push(`  JWT_PUBLIC_KEYS: holds a key committed to the repository (kid ${committed.join(', ')}); generate your own key pair`);
  }
  const signing = config.JWT_PRIVATE_KEY as SigningKey | undefined;
  if (signing?.kid && COMMITTED_KEY_IDS.has(signing.kid)) {
    problems.push(`  JWT_PRIVATE_KEY: is a key committed to the repository (kid ${signing.kid}); generate your own key pair`);
  }
  return problems;
}


/** Validates the environment against a schema, or throws one error naming every bad variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigurationError(`Invalid configuration:\n${problems}`);
  }
  const config = result.data as { NODE_ENV?: string; DEMO_MODE?: boolean; JWT_PUBLIC_KEYS?: unknown; JWT_PRIVATE_KEY?: unknown };
  if (config.NODE_ENV === 'production') {
    const problems = [...(config.DEMO_MODE ? ['  DEMO_MODE: must not be true when NODE_ENV=production'] : []), ...committedKeyProblems(config)];
    if (problems.length) throw new ConfigurationError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}
