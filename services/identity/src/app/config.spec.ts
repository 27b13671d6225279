import { ConfigurationError, loadConfig } from '@relationship/service-kit';
import { identityConfigSchema } from './config';

const minimal = {
  DATABASE_URL: 'mysql://app:app@127.0.0.1:3306/relationship_identity',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_SECRET: 'x'.repeat(32),
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
    const bad = { ...minimal, JWT_SECRET: 'short', LOGIN_MAX_FAILURES: '0', DATABASE_URL: undefined };
    const attempt = () => loadConfig(identityConfigSchema, bad);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/JWT_SECRET: must be at least 32 characters/);
    expect(attempt).toThrow(/LOGIN_MAX_FAILURES/);
  });

  it('refuses demo mode in production', () => {
    expect(() => loadConfig(identityConfigSchema, { ...minimal, NODE_ENV: 'production', DEMO_MODE: 'true' })).toThrow(/DEMO_MODE/);
    expect(loadConfig(identityConfigSchema, { ...minimal, DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
  });
});
