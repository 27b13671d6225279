import { Controller, Get, Inject } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import { loggingModule, redactQuery } from './logger';

const lines: string[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

@Controller()
class PortraitsProbe {
  constructor(@Inject(PinoLogger) private readonly logger: PinoLogger) {}

  @Get('api/users')
  search(): { ok: true } {
    // what a service might log about a record it handles
    this.logger.info({ portrait: { nationalIdNumber: '11010519491231002X', email: 'wang.fang@example.com', phone: '13812345678', city: '上海' } }, 'portrait');
    return { ok: true };
  }
}

describe('access and application logs', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [loggingModule({ service: 'probe', level: 'info' }, destination)], controllers: [PortraitsProbe] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('keep no query values and no national ID numbers, emails or phones', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/users?q=wang.fang%40example.com&phone=13812345678&page=2' });
    expect(response.statusCode).toBe(200);
    const written = lines.join('\n');
    expect(written).not.toMatch(/wang\.fang|13812345678|11010519491231002X/);
    const access = lines.map((l) => JSON.parse(l)).find((l) => l.req?.url?.startsWith('/api/users'));
    expect(access.req.url).toBe('/api/users?q=[redacted]&phone=[redacted]&page=[redacted]');
    const portrait = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'portrait');
    expect(portrait.portrait).toEqual({ nationalIdNumber: '[redacted]', email: '[redacted]', phone: '[redacted]', city: '上海' });
  });

  it('redacts query values but keeps the path and the parameter names', () => {
    expect(redactQuery('/api/profiles/search')).toBe('/api/profiles/search');
    expect(redactQuery('/api/profiles/search?q=%E7%8E%8B&&x')).toBe('/api/profiles/search?q=[redacted]&x=[redacted]');
    expect(redactQuery(undefined)).toBe('');
  });
});
