#!/usr/bin/env node
// Assignment benchmark: greedy vs the auction engine vs the exact OR-Tools min-cost flow.
//
//   node bench/assignment/run.mjs [--sizes=10k,100k,1m] [--no-reference] [--seed=N] [--epsilon=E]
//   make bench-assignment ARGS="--sizes=10k,100k"
//
// Instances are generated deterministically (instance.mjs), written under .local/bench/assignment/
// for the Python side, which runs in a venv under .local/bench/venv created here on first use
// (pinned versions in requirements.txt). Prints a table and writes results.json next to the
// instances. Not a test: it asserts nothing except that every solution is feasible.
import '../ts-hooks.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, SIZES, writeInstance } from './instance.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const local = process.env.LOCAL_DIR ?? join(repo, '.local');
const lib = await import(join(repo, 'libs/assignment-solver/src/index.ts'));

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const sizes = (args.sizes ?? '10k,100k,1m').split(',');
for (const s of sizes) if (!SIZES[s]) throw new Error(`unknown size ${s}; known: ${Object.keys(SIZES).join(', ')}`);
const withReference = args['no-reference'] === undefined;
const seed = Number(args.seed ?? 20261125);
const epsilon = args.epsilon !== undefined ? Number(args.epsilon) : undefined;

function python() {
  const venv = join(local, 'bench/venv');
  const py = join(venv, 'bin/python');
  const ok = existsSync(py) && spawnSync(py, ['-c', 'import ortools, numpy'], { stdio: 'ignore' }).status === 0;
  if (!ok) {
    console.log(`[bench] creating ${venv} with ${join(here, 'requirements.txt')}`);
    mkdirSync(dirname(venv), { recursive: true });
    run('python3', ['-m', 'venv', venv]);
    run(join(venv, 'bin/pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', join(here, 'requirements.txt')]);
  }
  return py;
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
}

const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(d));
/** @type {Record<string, any>[]} One row per (size, method); the auction and OR-Tools rows carry their own figures. */
const results = [];
const py = withReference ? python() : null;

for (const size of sizes) {
  const spec = SIZES[size];
  console.log(`\n[bench] ${size}: ${spec.n.toLocaleString('en')} customers × ${spec.m.toLocaleString('en')} managers`);
  const gen = generate(lib, { ...spec, seed });
  const { problem } = gen;
  const edges = problem.candidates.offsets[spec.n];
  const capacityTotal = problem.capacity.reduce((a, b) => a + b, 0);
  console.log(
    `[bench]   candidates: ${edges.toLocaleString('en')} edges (top 30 of ${(gen.scoredPairs / spec.n).toFixed(0)} regional managers per customer) in ${fmt(gen.candidateMs / 1000)} s; capacity ${capacityTotal.toLocaleString('en')} (${fmt(capacityTotal / spec.n)} × customers)`,
  );

  let reference = null;
  if (py) {
    const dir = join(local, 'bench/assignment', size);
    writeInstance(dir, problem, { seed, size });
    console.log(`[bench]   OR-Tools reference on ${dir} ...`);
    run(py, [join(here, 'ortools_reference.py'), dir]);
    reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8'));
    if (!reference.feasible) throw new Error('OR-Tools returned an infeasible flow');
  }

  const greedy = lib.solveGreedy(problem);
  console.log(`[bench]   greedy ${fmt(greedy.timeMs / 1000, 3)} s`);
  const auction = lib.solveAuction(problem, epsilon !== undefined ? { epsilon } : {});
  console.log(
    `[bench]   auction ${fmt(auction.timeMs / 1000, 3)} s, ${auction.counters.bids.toLocaleString('en')} bids, ${auction.counters.phases} phases, ${auction.counters.reverseSteps} reverse steps, certified gap ${fmt(auction.relativeGap * 100, 4)} %`,
  );
  // Both solutions are re-checked from scratch (throws on a capacity violation).
  lib.evaluateAssignment(problem, greedy.assignment);
  lib.evaluateAssignment(problem, auction.assignment);

  const exact = reference?.optimum;
  const refTime = reference?.solveSeconds;
  const row = (method, seconds, score, unassigned, extra = {}) => ({
    size,
    method,
    seconds,
    score,
    gapPct: exact !== undefined && score !== undefined ? ((exact - score) / exact) * 100 : undefined,
    vsOrTools: refTime !== undefined && seconds !== undefined ? seconds / refTime : undefined,
    vsGreedy: score !== undefined ? score / greedy.totalScore : undefined,
    unassigned,
    ...extra,
  });
  results.push(row('candidates top-30', gen.candidateMs / 1000, undefined, undefined, { scoredPairs: gen.scoredPairs }));
  results.push(row('greedy', greedy.timeMs / 1000, greedy.totalScore, greedy.unassigned));
  results.push(
    row('auction', auction.timeMs / 1000, auction.totalScore, auction.unassigned, {
      bids: auction.counters.bids,
      phases: auction.counters.phases,
      reverseSteps: auction.counters.reverseSteps,
      epsilon: auction.epsilon,
      epsilonBoundPct: (auction.epsilonBound / auction.totalScore) * 100,
      certifiedGapPct: auction.relativeGap * 100,
      dualBound: auction.dualBound,
    }),
  );
  if (reference) {
    results.push(
      row('OR-Tools min-cost flow', reference.solveSeconds, reference.optimum, reference.unassigned, {
        buildSeconds: reference.buildSeconds,
        peakRssMB: reference.peakRssMB,
      }),
    );
  }
}

const header = ['size', 'method', 'time (s)', 'total score', 'gap vs exact (%)', 'time / OR-Tools', 'score / greedy', 'unassigned'];
const lines = results.map((r) => [
  r.size,
  r.method,
  fmt(r.seconds, 3),
  r.score === undefined ? '—' : r.score.toFixed(1),
  fmt(r.gapPct, 5),
  fmt(r.vsOrTools, 3),
  fmt(r.vsGreedy, 4),
  r.unassigned === undefined ? '—' : String(r.unassigned),
]);
const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
const print = (cells) => console.log(`| ${cells.map((x, c) => (c < 2 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join(' | ')} |`);
console.log('');
print(header);
console.log(`|${widths.map((w, c) => (c < 2 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|')}|`);
for (const l of lines) print(l);
for (const r of results.filter((x) => x.method === 'auction')) {
  console.log(
    `auction ${r.size}: ε = ${r.epsilon}, a-priori bound n·ε = ${fmt(r.epsilonBoundPct, 4)} % of the score, certified (dual) gap ${fmt(r.certifiedGapPct, 4)} %, ${r.bids.toLocaleString('en')} bids, ${r.phases} phases, ${r.reverseSteps} reverse steps`,
  );
}
for (const r of results.filter((x) => x.method.startsWith('OR-Tools'))) {
  console.log(`OR-Tools ${r.size}: build ${fmt(r.buildSeconds)} s + solve ${fmt(r.seconds)} s, peak RSS ${fmt(r.peakRssMB / 1024)} GB`);
}
const out = join(local, 'bench/assignment/results.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ seed, date: new Date().toISOString(), results }, null, 2));
console.log(`\nresults: ${out}`);
