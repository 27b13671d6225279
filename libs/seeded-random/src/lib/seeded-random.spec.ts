import { fnv1a32, hashString, mix32, seededRandom } from './seeded-random';

describe('seededRandom (mulberry32)', () => {
  it('gives the reference mulberry32 sequence, so seeded demo data and fixtures stay the same', () => {
    const next = seededRandom(1);
    expect([next(), next(), next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('repeats for a seed, differs between seeds, and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('treats seeds modulo 2^32', () => {
    expect(seededRandom(-1)()).toBe(seededRandom(0xffffffff)());
  });
});

describe('hashes', () => {
  it('fnv1a32 matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('mix32 is murmur3 fmix32', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(0x514e28b7);
    expect(mix32(-1)).toBe(mix32(0xffffffff));
  });

  it('hashString is fnv1a32 then mix32, unsigned', () => {
    expect(hashString('7|c1|m1')).toBe(mix32(fnv1a32('7|c1|m1')));
    expect(hashString('7|c1|m1')).toBe(3850776448);
    expect(hashString('7|c1|m2')).not.toBe(hashString('7|c1|m1'));
  });
});
