// Deterministic benchmark instances for the assignment engine.
//
// Structure (seeded, no Math.random):
//   - R regions; every customer and every manager lives in one (uneven sizes, same mix on both sides).
//   - latent need / expertise vectors x_i, y_j in R^8: fit = <x_i, y_j> ~ N(0, 1);
//   - manager quality q_j ~ N(0, 1) that every customer sees (popular managers → contention);
//   - pair noise from a hash of (seed, i, j) ~ N(0, 1), so no n × m table is ever stored;
//   - score = clamp(52 + 11·fit + 7·q_j + 6·noise, 0, 100) (noise: sum of three uniforms, sd 1 after scaling).
//   - capacity_j ≈ 1.1 · n / m · U(0.6, 1.4), rounded, so capacities sum to about 1.1 × customers.
// Candidates: each customer scores only the managers of its region (blocking) and keeps the top 30
// with the library's `topKCandidates` — that is the "candidate generation" time in the table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mix32, seededRandom } from '../../libs/seeded-random/src/lib/seeded-random.ts';

const D = 8;


function gaussian(next) {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** Integer hash of (seed, i, j) → 32 bits (murmur3 finaliser on a mixed key). */
function hash3(seed, i, j) {
  return mix32(Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77) ^ seed);
}

export const SIZES = {
  '10k': { n: 10_000, m: 200, regions: 4 },
  '100k': { n: 100_000, m: 1_000, regions: 8 },
  '1m': { n: 1_000_000, m: 5_000, regions: 20 },
};

/**
 * Builds the instance. `lib` is the assignment-solver module (for groupBy / topKCandidates).
 * Returns the problem (typed arrays) and the time spent on candidate generation.
 */
export function generate(lib, { n, m, regions, k = 30, seed = 20261125 }) {
  const next = seededRandom(seed);
  // Region weights: uneven (1 / (r + 2)), shared by customers and managers.
  const weights = Array.from({ length: regions }, (_, r) => 1 / (r + 2));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  const pickRegion = () => {
    const u = next();
    let r = 0;
    while (r < regions - 1 && u > cumulative[r]) r++;
    return r;
  };

  const managerRegion = new Int32Array(m);
  const y = new Float64Array(m * D);
  const quality = new Float64Array(m);
  const capacity = new Int32Array(m);
  const avgCap = (1.1 * n) / m;
  for (let j = 0; j < m; j++) {
    managerRegion[j] = pickRegion();
    for (let d = 0; d < D; d++) y[j * D + d] = gaussian(next) / Math.sqrt(D);
    quality[j] = gaussian(next);
    capacity[j] = Math.max(1, Math.round(avgCap * (0.6 + 0.8 * next())));
  }
  const customerRegion = new Int32Array(n);
  const x = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    customerRegion[i] = pickRegion();
    for (let d = 0; d < D; d++) x[i * D + d] = gaussian(next);
  }

  const scoreSeed = Math.imul(seed, 0x2545f491) | 0;
  const scoreRow = (i, managers, count, out) => {
    const xo = i * D;
    const x0 = x[xo], x1 = x[xo + 1], x2 = x[xo + 2], x3 = x[xo + 3];
    const x4 = x[xo + 4], x5 = x[xo + 5], x6 = x[xo + 6], x7 = x[xo + 7];
    for (let t = 0; t < count; t++) {
      const j = managers[t];
      const yo = j * D;
      const fit =
        x0 * y[yo] + x1 * y[yo + 1] + x2 * y[yo + 2] + x3 * y[yo + 3] +
        x4 * y[yo + 4] + x5 * y[yo + 5] + x6 * y[yo + 6] + x7 * y[yo + 7];
      // Three 10-bit uniforms from one hash: their sum is close to normal (mean 1.5, sd 0.5).
      const h = hash3(scoreSeed, i, j);
      const noise = ((h & 1023) + ((h >>> 10) & 1023) + ((h >>> 20) & 1023)) / 1024 - 1.5;
      const s = 52 + 11 * fit + 7 * quality[j] + 12 * noise;
      out[t] = s < 0 ? 0 : s > 100 ? 100 : s;
    }
  };

  const blocks = lib.groupBy(managerRegion, regions);
  const t0 = performance.now();
  const candidates = lib.topKCandidates({
    customers: n,
    managers: m,
    k,
    scoreRow,
    blocks: { ofCustomer: customerRegion, offsets: blocks.offsets, managers: blocks.items },
    scoreType: 'float32',
  });
  const candidateMs = performance.now() - t0;
  const scored = (() => {
    let s = 0;
    for (let i = 0; i < n; i++) s += blocks.offsets[customerRegion[i] + 1] - blocks.offsets[customerRegion[i]];
    return s;
  })();
  return {
    problem: { bidders: n, managers: m, capacity, candidates },
    candidateMs,
    scoredPairs: scored,
  };
}

/** Writes the instance as raw little-endian arrays + meta.json for the Python reference. */
export function writeInstance(dir, problem, extra = {}) {
  mkdirSync(dir, { recursive: true });
  const { offsets, managers, scores } = problem.candidates;
  const f32 = scores instanceof Float32Array ? scores : Float32Array.from(scores);
  const buf = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'offsets.i32'), buf(offsets));
  writeFileSync(join(dir, 'managers.i32'), buf(managers));
  writeFileSync(join(dir, 'scores.f32'), buf(f32));
  writeFileSync(join(dir, 'capacity.i32'), buf(problem.capacity));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ n: problem.bidders, m: problem.managers, edges: offsets[problem.bidders], ...extra }, null, 2),
  );
}
