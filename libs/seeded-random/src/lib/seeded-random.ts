/**
 * Seeded pseudo-random numbers and string hashes: the same seed gives the same sequence on every machine, so demo
 * data, simulations, benchmarks and property tests are reproducible. Not for anything secret (use node:crypto).
 * No imports, so Node can run this file directly with type stripping (tools/datagen, bench/).
 */

/** mulberry32: a small, fast 32-bit generator; returns a function giving numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a over the string's UTF-16 code units (the bytes, for ASCII). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word (a bijection on 32 bits). */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-spread unsigned 32-bit hash of a string: FNV-1a, then the murmur3 finaliser. */
export function hashString(text: string): number {
  return mix32(fnv1a32(text));
}
