import { AccessTokenSigner, signingKeyFromPem } from '@relationship/auth';
import { localEndpoints } from './infrastructure';

/**
 * Connection settings for tests against the real MariaDB, Redis and Kafka started by infra/local.
 * Each service tests against its own `<schema>_test` database so a running demo is never touched.
 */
/**
 * The test key pair for access tokens. Its private half is public (it is here), so production refuses it
 * (its kid is in @relationship/auth's COMMITTED_KEY_IDS).
 */
export const TEST_JWT_PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLYliJtumSryCT0he\nakwyCYLSU98jlx6FgWYWsa9Bv/WhRANCAAQtpDPLh7McgtFKgvB97Df2fMN3GjDy\n1ZUk5RNN13stW4inS6uUgaECfc/VDjlxgS1Y8r+1Jb3bjKMjyQifS5kB\n-----END PRIVATE KEY-----\n';
/** Its public half, as the JWKS every verifier reads from JWT_PUBLIC_KEYS. */
export const TEST_JWT_PUBLIC_KEYS = JSON.stringify({
  keys: [
    {
      kty: 'EC',
      crv: 'P-256',
      x: 'LaQzy4ezHILRSoLwfew39nzDdxow8tWVJOUTTdd7LVs',
      y: 'iKdLq5SBoQJ9z9UOOXGBLVjyv7UlvduMoyPJCJ9LmQE',
      kid: 'EX8IBr-gKtERpxh4jf6WgVV2tqRyuY0VZfGg2sJaOCs',
      alg: 'ES256',
      use: 'sig',
    },
  ],
});

// The endpoints come from the environment, which the run's global setup (jest-global-setup.ts) fills in: containers
// where a Docker engine answers, else infra/local's defaults.
export function testDatabaseUrl(schema: string): string {
  const { DB_HOST, DB_PORT, DB_USER, DB_PASSWORD } = localEndpoints(process.env);
  return `mysql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${schema}_test`;
}

export function testKafkaBrokers(): string {
  return localEndpoints(process.env).KAFKA_BROKERS;
}

export function testRedisUrl(): string {
  return localEndpoints(process.env).REDIS_URL;
}

/** The tests' topic namespace (`test.` unless the run sets KAFKA_TOPIC_PREFIX), so a local demo never sees their events. */
export function testTopicPrefix(): string {
  return process.env['KAFKA_TOPIC_PREFIX'] ?? 'test.';
}

/** A topic as the services under test publish and subscribe it: in the tests' namespace. */
export function testTopic(topic: string): string {
  return `${testTopicPrefix()}${topic}`;
}

/** A process.env-shaped object for `loadConfig`, with the service's test database and the shared test infra. */
export function testEnv(schema: string, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    KAFKA_TOPIC_PREFIX: testTopicPrefix(),
    PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    DATABASE_URL: testDatabaseUrl(schema),
    DB_DRIVER: process.env['DB_DRIVER'] ?? 'mariadb',
    KAFKA_BROKERS: testKafkaBrokers(),
    REDIS_URL: testRedisUrl(),
    JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
    ...overrides,
  };
}

/** Polls until `probe` returns a value, or fails naming what it waited for. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** Drops and recreates a test database, so a service's migrations run for real on every suite. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const { createConnection } = await import('mysql2/promise');
  const url = new URL(databaseUrl);
  const admin = await createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  const database = url.pathname.slice(1);
  await admin.query(`drop database if exists \`${database}\``);
  await admin.query(`create database \`${database}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await admin.end();
}

/** Signs access tokens as identity does in tests (the services under test verify them with TEST_JWT_PUBLIC_KEYS). */
export const testTokens = new AccessTokenSigner({
  signingKey: signingKeyFromPem(TEST_JWT_PRIVATE_KEY),
  issuer: 'relationship-identity',
  audience: 'relationship',
});
