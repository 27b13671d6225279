import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { IsInt, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { z } from 'zod';
import { ConfigurationError, databaseEnv, httpEnv, jwtEnv, loadConfig } from './config';
import { toErrorBody } from './errors';
import { strictValidationPipe } from './validation';

describe('loadConfig', () => {
  const schema = httpEnv.extend(databaseEnv.shape).extend(jwtEnv.shape);

  it('parses and applies defaults', () => {
    const config = loadConfig(schema, {
      PORT: '3001',
      DATABASE_URL: 'mysql://app:app@127.0.0.1:3306/relationship_identity',
      JWT_SECRET: 'x'.repeat(32),
    });
    expect(config).toMatchObject({ PORT: 3001, DB_DRIVER: 'mariadb', DEMO_MODE: false, NODE_ENV: 'development' });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: 'http', DATABASE_URL: 'postgres://x', JWT_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/PORT/);
    expect((error as Error).message).toMatch(/DATABASE_URL/);
    expect((error as Error).message).toMatch(/JWT_SECRET: must be at least 32 characters/);
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
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      requestId: 'r4',
    });
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
