import { BadRequestException, HttpException } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { assertCurrentVersion, etagOf, versionFromIfMatch, VersionEtagInterceptor } from './concurrency';

const statusOf = (fn: () => unknown): number => {
  try {
    fn();
  } catch (error) {
    return (error as HttpException).getStatus();
  }
  throw new Error('expected an HttpException');
};

describe('optimistic concurrency (ETag / If-Match)', () => {
  it('reads strong, weak and bare versions', () => {
    expect(versionFromIfMatch('"3"')).toBe(3);
    expect(versionFromIfMatch('W/"4"')).toBe(4);
    expect(versionFromIfMatch(' 5 ')).toBe(5);
    expect(versionFromIfMatch(['"6"', '"7"'])).toBe(6);
    expect(etagOf(8)).toBe('"8"');
  });

  it('answers 428 without If-Match and 400 for one that names no version', () => {
    expect(statusOf(() => versionFromIfMatch(undefined))).toBe(428);
    expect(statusOf(() => versionFromIfMatch('  '))).toBe(428);
    expect(() => versionFromIfMatch('*')).toThrow(BadRequestException);
    expect(() => versionFromIfMatch('"0"')).toThrow(BadRequestException);
  });

  it('answers 412 when the version moved on, naming both versions', () => {
    expect(statusOf(() => assertCurrentVersion('manager m1', 4, 3))).toBe(412);
    expect(() => assertCurrentVersion('manager m1', 4, 3)).toThrow('manager m1 is at version 4, not 3');
    expect(() => assertCurrentVersion('manager m1', 3, 3)).not.toThrow();
  });

  it('sets ETag on a versioned body only', async () => {
    const headers: Record<string, string> = {};
    const context = { switchToHttp: () => ({ getResponse: () => ({ header: (name: string, value: string) => (headers[name] = value) }) }) };
    const interceptor = new VersionEtagInterceptor();
    await lastValueFrom(interceptor.intercept(context as never, { handle: () => of({ items: [], total: 0 }) }));
    expect(headers).toEqual({});
    expect(await lastValueFrom(interceptor.intercept(context as never, { handle: () => of({ id: 'x', version: 5 }) }))).toEqual({ id: 'x', version: 5 });
    expect(headers).toEqual({ etag: '"5"' });
  });
});
