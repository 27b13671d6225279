import { ConfigurationError } from '@relationship/service-kit';
import { TEST_JWT_PUBLIC_KEYS } from '@relationship/testing';
import { loadGatewayConfig } from './config';

const minimal = {
  JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
  REDIS_URL: 'redis://127.0.0.1:6379',
  IDENTITY_URL: 'http://identity:3001',
  PROFILES_URL: 'http://profiles:3002/',
};

describe('gateway config', () => {
  it('applies the documented defaults', () => {
    const config = loadGatewayConfig(minimal);
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      CORS_ORIGINS: ['http://localhost:4200'],
      RATE_LIMIT_PER_MINUTE: 600,
      AUTH_RATE_LIMIT_PER_MINUTE: 20,
      UPSTREAM_TIMEOUT_MS: 10_000,
      JWT_ISSUER: 'relationship-identity',
      JWT_AUDIENCE: 'relationship',
      TRUST_PROXY: ['loopback', 'linklocal', 'uniquelocal'],
    });
    expect(config.PROFILES_URL).toBe('http://profiles:3002');
    expect(config.MANAGERS_URL).toBeUndefined();
    expect(config.MATCHING_URL).toBeUndefined();
    expect(config.ANALYTICS_URL).toBeUndefined();
  });

  it('refuses to start without the required upstreams, naming each', () => {
    expect(() =>
      loadGatewayConfig({
        JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
        REDIS_URL: 'redis://x:6379',
      }),
    ).toThrow(ConfigurationError);
    expect(() =>
      loadGatewayConfig({
        JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
        REDIS_URL: 'redis://x:6379',
      }),
    ).toThrow(/IDENTITY_URL: required[\s\S]*PROFILES_URL: required/);
  });

  it.each([
    ['IDENTITY_URL', 'identity:3001'],
    ['MANAGERS_URL', 'ftp://managers'],
    ['CORS_ORIGINS', 'http://localhost:4200,portal.example.com'],
    ['CORS_ORIGINS', 'https://portal.example.com/app'],
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['AUTH_RATE_LIMIT_PER_MINUTE', 'many'],
    ['UPSTREAM_TIMEOUT_MS', '-1'],
    ['JWT_PUBLIC_KEYS', 'REPLACE-ME'],
    ['JWT_PUBLIC_KEYS', '{"keys": []}'],
    ['REDIS_URL', 'localhost:6379'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadGatewayConfig({ ...minimal, [name]: value })).toThrow(
      new RegExp(name),
    );
  });

  it('reads optional upstreams, treating an empty value as unset', () => {
    const config = loadGatewayConfig({
      ...minimal,
      MANAGERS_URL: 'https://managers.internal',
      MATCHING_URL: '',
      ANALYTICS_URL: 'http://analytics:3005',
    });
    expect(config.MANAGERS_URL).toBe('https://managers.internal');
    expect(config.MATCHING_URL).toBeUndefined();
    expect(config.ANALYTICS_URL).toBe('http://analytics:3005');
  });

  it('splits CORS_ORIGINS', () => {
    expect(
      loadGatewayConfig({
        ...minimal,
        CORS_ORIGINS: 'https://portal.bank.example, http://localhost:4200',
      }).CORS_ORIGINS,
    ).toEqual(['https://portal.bank.example', 'http://localhost:4200']);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, 192.168.1.5', ['10.0.0.0/8', '192.168.1.5']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(
      loadGatewayConfig({ ...minimal, TRUST_PROXY: value }).TRUST_PROXY,
    ).toEqual(expected);
  });
});
