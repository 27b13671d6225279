import { ConfigurationError, loadConfig } from '@relationship/service-kit';
import { TEST_JWT_PRIVATE_KEY, TEST_JWT_PUBLIC_KEYS } from '@relationship/testing';
import { generateKeyPairSync } from 'node:crypto';
import { identityConfigSchema } from './config';

const minimal = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'mysql://app:app@127.0.0.1:3306/relationship_identity',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY,
  JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
};

describe('identity configuration', () => {
  it('fills in the documented defaults', () => {
    const config = loadConfig(identityConfigSchema, minimal);
    expect(config).toEqual(
      expect.objectContaining({
        PORT: 3001,
        DB_DRIVER: 'mariadb',
        KAFKA_BROKERS: ['127.0.0.1:9092'],
        ACCESS_TOKEN_TTL_SECONDS: 900,
        REFRESH_TOKEN_TTL_SECONDS: 604_800,
        LOGIN_MAX_FAILURES: 5,
        LOGIN_LOCK_MINUTES: 15,
        DEMO_MODE: false,
      }),
    );
  });

  it('names every bad variable at once', () => {
    const bad = { ...minimal, JWT_PRIVATE_KEY: 'REPLACE-ME', LOGIN_MAX_FAILURES: '0', DATABASE_URL: undefined };
    const attempt = () => loadConfig(identityConfigSchema, bad);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/JWT_PRIVATE_KEY: must be a PEM-encoded private key/);
    expect(attempt).toThrow(/LOGIN_MAX_FAILURES/);
  });

  it('refuses a signing key whose public half is not among JWT_PUBLIC_KEYS', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadConfig(identityConfigSchema, { ...minimal, JWT_PRIVATE_KEY: other })).toThrow(/JWT_PRIVATE_KEY: its public key \(kid [\w-]+\) is not in JWT_PUBLIC_KEYS/);
  });

  it('keeps access tokens at most 15 minutes in production', () => {
    expect(() => loadConfig(identityConfigSchema, { ...minimal, NODE_ENV: 'production', ACCESS_TOKEN_TTL_SECONDS: '901' })).toThrow(
      /ACCESS_TOKEN_TTL_SECONDS: must be at most 900 \(15 min\) when NODE_ENV=production/,
    );
    expect(loadConfig(identityConfigSchema, { ...minimal, ACCESS_TOKEN_TTL_SECONDS: '3600' }).ACCESS_TOKEN_TTL_SECONDS).toBe(3600);
  });

  it('refuses the committed test key in production', () => {
    expect(() => loadConfig(identityConfigSchema, { ...minimal, NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY: is a key committed to the repository/);
  });

  it('refuses demo mode in production', () => {
    expect(() => loadConfig(identityConfigSchema, { ...minimal, NODE_ENV: 'production', DEMO_MODE: 'true' })).toThrow(/DEMO_MODE/);
    expect(loadConfig(identityConfigSchema, { ...minimal, DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
  });
});
