import { BadRequestException, HttpException } from '@nestjs/common';
import { etagOf, expectedVersion, requireExpectedVersion } from './if-match';

describe('If-Match', () => {
  it('reads strong, weak and bare versions, or the body field', () => {
    expect(expectedVersion('"3"', undefined)).toBe(3);
    expect(expectedVersion('W/"4"', undefined)).toBe(4);
    expect(expectedVersion('5', undefined)).toBe(5);
    expect(expectedVersion(undefined, 6)).toBe(6);
    expect(expectedVersion('"7"', 7)).toBe(7);
    expect(expectedVersion(undefined, undefined)).toBeUndefined();
    expect(etagOf(8)).toBe('"8"');
  });

  it('refuses garbage and disagreement with 400, and a missing version with 428', () => {
    expect(() => expectedVersion('*', undefined)).toThrow(BadRequestException);
    expect(() => expectedVersion('"3"', 4)).toThrow(BadRequestException);
    try {
      requireExpectedVersion(undefined, undefined);
      throw new Error('expected a 428');
    } catch (error) {
      expect((error as HttpException).getStatus()).toBe(428);
    }
  });
});
