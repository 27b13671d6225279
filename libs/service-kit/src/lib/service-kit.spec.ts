import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { IsInt, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { z } from 'zod';
import { COMMITTED_KEY_IDS, signingKeyFromPem } from '@relationship/auth';
import { TEST_JWT_PRIVATE_KEY, TEST_JWT_PUBLIC_KEYS } from '@relationship/testing';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigurationError, databaseEnv, httpEnv, jwtEnv, jwtSigningEnv, loadConfig } from './config';
import { toErrorBody } from './errors';
import { strictValidationPipe } from './validation';

describe('loadConfig', () => {
  const schema = httpEnv.extend(databaseEnv.shape).extend(jwtEnv.shape);

  it('parses and applies defaults', () => {
    const config = loadConfig(schema, {
      PORT: '3001',
      DATABASE_URL: 'mysql://app:app@127.0.0.1:3306/relationship_identity',
      JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config).toMatchObject({ PORT: 3001, DB_DRIVER: 'mariadb', DEMO_MODE: false, NODE_ENV: 'development' });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: 'http', DATABASE_URL: 'postgres://x', JWT_PUBLIC_KEYS: 'REPLACE-ME' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/PORT/);
    expect((error as Error).message).toMatch(/DATABASE_URL/);
    expect((error as Error).message).toMatch(/JWT_PUBLIC_KEYS: must be a JWKS document/);
    expect((error as Error).message).not.toMatch(/REPLACE-ME/);
  });

  describe('in production', () => {
    const signing = httpEnv.extend(jwtEnv.shape).extend(jwtSigningEnv.shape);
    const ownKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const own = signingKeyFromPem(ownKey);
    const ownJwks = JSON.stringify({ keys: [own.publicJwk] });
    const env = (overrides: Record<string, string>) => ({ PORT: '1', NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379', JWT_PRIVATE_KEY: ownKey, JWT_PUBLIC_KEYS: ownJwks, ...overrides });

    it('starts with a key pair of its own', () => {
      expect(loadConfig(signing, env({})).JWT_PRIVATE_KEY.kid).toBe(own.kid);
    });

    it('refuses the committed test key, to sign with or to verify with', () => {
      expect(COMMITTED_KEY_IDS.has(signingKeyFromPem(TEST_JWT_PRIVATE_KEY).kid)).toBe(true);
      expect(() => loadConfig(signing, env({ JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY }))).toThrow(/JWT_PRIVATE_KEY: is a key committed to the repository/);
      expect(() => loadConfig(signing, env({ JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS }))).toThrow(/JWT_PUBLIC_KEYS: holds a key committed to the repository/);
      // outside production the test key is what tests run with
      expect(loadConfig(signing, env({ NODE_ENV: 'test', JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY })).NODE_ENV).toBe('test');
    });

    it('refuses a placeholder key', () => {
      expect(() => loadConfig(signing, env({ JWT_PRIVATE_KEY: 'REPLACE-ME-with-a-private-key' }))).toThrow(/JWT_PRIVATE_KEY: must be a PEM-encoded private key/);
    });
  });

  it('refuses demo mode in production', () => {
    expect(() => loadConfig(httpEnv, { PORT: '1', NODE_ENV: 'production', DEMO_MODE: 'true' })).toThrow(/DEMO_MODE/);
  });
});

describe('toErrorBody', () => {
  it('keeps client errors and joins validation messages', () => {
    expect(toErrorBody(new BadRequestException(['a must be a string', 'b should not exist']), 'r1')).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'a must be a string; b should not exist',
      requestId: 'r1',
    });
    expect(toErrorBody(new ForbiddenException('requires role admin'), 'r2')).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  it('maps fastify parser errors to their 4xx and hides anything else behind a 500', () => {
    const invalidJson = Object.assign(new Error("Body is not valid JSON but content-type is set to 'application/json'"), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON',
    });
    expect(toErrorBody(invalidJson, 'r3')).toMatchObject({ statusCode: 400, message: expect.stringMatching(/not valid JSON/) });
    expect(toErrorBody(new Error('connect ECONNREFUSED 10.0.0.1:3306 password=secret'), 'r4')).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'temporarily unavailable; retry in 5 s',
      requestId: 'r4',
    });
    const lost = Object.assign(new Error('driver error'), { name: 'DriverException', cause: { code: 'PROTOCOL_CONNECTION_LOST' } });
    expect(toErrorBody(lost, 'r5').statusCode).toBe(503);
    expect(toErrorBody(new Error('token=abc broke'), 'r6')).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', requestId: 'r6' });
  });
});

class Address {
  @IsString() @MaxLength(10) city!: string;
}
class Person {
  @IsString() @MaxLength(5) name!: string;
  @IsInt() age!: number;
  @ValidateNested() @Type(() => Address) address!: Address;
}

describe('strictValidationPipe', () => {
  const pipe = strictValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Person });

  it('refuses unknown, over-long, mistyped and nested fields, naming each', async () => {
    const error = await validate({ name: 'toolongname', age: 'x', address: { city: 1 }, isAdmin: true }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    const message = (error as BadRequestException).message;
    expect(message).toMatch(/property isAdmin should not exist/);
    expect(message).toMatch(/name must be shorter than or equal to 5 characters/);
    expect(message).toMatch(/age must be an integer/);
    expect(message).toMatch(/address\.city must be a string/);
  });

  it('passes a valid body through as an instance', async () => {
    const person = await validate({ name: 'Li', age: 30, address: { city: '上海' } });
    expect(person).toBeInstanceOf(Person);
  });
});

describe('zod schema pieces', () => {
  it('splits broker lists', () => {
    const { kafkaEnv } = jest.requireActual('./config') as { kafkaEnv: z.ZodObject };
    expect(kafkaEnv.parse({ KAFKA_BROKERS: 'a:9092, b:9092' })).toMatchObject({ KAFKA_BROKERS: ['a:9092', 'b:9092'] });
  });
});
