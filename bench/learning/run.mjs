#!/usr/bin/env node
// Learned-component benchmark: does a model trained on outcome feedback rank held-out pairs better than the rule
// score alone?
//
//   node bench/learning/run.mjs [--customers=20000] [--managers=200] [--pairs=40000] [--seed=42] [--alpha=0.3]
//   make bench-learning ARGS="--customers=50000 --pairs=100000"
//
// Generates customers and managers with tools/datagen, samples proposal-like pairs (same city 70 %, same
// language 90 %), keeps the eligible ones (the rule score's hard constraints), simulates their outcomes from the
// generator's hidden truth, trains libs/match-learning on them and prints held-out AUC of the rule score, the
// model and the blend, next to the oracle AUC of the hidden quality itself (the ceiling). Also a learning curve
// (how much feedback it takes) and the cost of one blended score. Writes .local/bench/learning/results.json.
// Not a test: it asserts nothing.
import '../ts-hooks.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const local = process.env.LOCAL_DIR ?? join(repo, '.local');
const learning = await import(join(repo, 'libs/match-learning/src/index.ts'));
const scoring = await import(join(repo, 'libs/match-scoring/src/index.ts'));
const { generateCustomers } = await import(join(repo, 'tools/datagen/src/customers.ts'));
const { generateManagers } = await import(join(repo, 'tools/datagen/src/managers.ts'));
const feedback = await import(join(repo, 'tools/datagen/src/feedback.ts'));

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const customersN = Number(args.customers ?? 20_000);
const managersN = Number(args.managers ?? 200);
const pairsN = Number(args.pairs ?? 2 * customersN);
const seed = Number(args.seed ?? 42);
const alpha = Number(args.alpha ?? 0.3);
const split = { seed, holdoutFraction: 0.2 };
const fmt = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const ms = (t) => `${(performance.now() - t).toFixed(0)} ms`;

let t = performance.now();
const customers = generateCustomers(customersN, seed);
const managers = generateManagers(managersN, seed);
console.log(`[bench] generated ${customersN.toLocaleString('en')} customers × ${managersN} managers (seed ${seed}) in ${ms(t)}`);

t = performance.now();
const customerByRef = new Map(customers.map((c) => [c.externalRef, c]));
const managerByNo = new Map(managers.map((m) => [m.employeeNo, m]));
const customerSnap = new Map(customers.map((c) => [c.externalRef, feedback.customerSnapshot(c)]));
const managerSnap = new Map(managers.map((m) => [m.employeeNo, feedback.managerSnapshot(m)]));
const sampled = feedback.samplePairs(customers, managers, pairsN, seed);
const eligible = [];
for (const p of sampled) {
  const m = managerSnap.get(p.employeeNo);
  const load = { assigned: Math.floor(p.utilisation * m.capacity) };
  if (scoring.exclusions(customerSnap.get(p.customerRef), m, load).length === 0) eligible.push({ ...p, load });
}
const outcomes = feedback.simulateFeedback(customers, managers, eligible, seed);
const examples = eligible.map((p, i) => learning.toExample(customerSnap.get(p.customerRef), managerSnap.get(p.employeeNo), p.load, outcomes[i]));
const positives = examples.filter((e) => e.label).length;
const accepted = outcomes.filter((o) => o.accepted).length;
console.log(
  `[bench] ${sampled.length.toLocaleString('en')} sampled pairs, ${eligible.length.toLocaleString('en')} eligible; ` +
    `accepted ${fmt(accepted / eligible.length)}, good outcome (accepted and rated 4+ or retained) ${fmt(positives / eligible.length)}; ` +
    `features and simulation in ${ms(t)}`,
);

t = performance.now();
const result = learning.trainModel(examples, { ...split, alpha });
const trainMs = performance.now() - t;
if (result.status !== 'trained') {
  console.log(`[bench] no model: ${JSON.stringify(result)}`);
  process.exit(0);
}
const model = result.model;
const m = model.metrics;

// The ceiling: the hidden latent quality of each held-out pair, which no model of observable features can reach.
const heldOut = examples.map((e) => learning.isHeldOut(e.key, split.seed, split.holdoutFraction));
const oracle = learning.rocAuc(
  eligible.filter((_, i) => heldOut[i]).map((p) => feedback.pairQuality(customerByRef.get(p.customerRef), managerByNo.get(p.employeeNo), p.utilisation).total),
  examples.filter((_, i) => heldOut[i]).map((e) => e.label),
);

console.log(`\n[bench] model ${model.version}: trained on ${model.trainingSize.toLocaleString('en')} examples (${model.positives.toLocaleString('en')} positive) in ${trainMs.toFixed(0)} ms`);
console.log(`        (${model.trainer.library}, ${model.trainer.numSteps} steps, step ${model.trainer.learningRate}); held out ${m.holdoutSize.toLocaleString('en')} (${m.holdoutPositives.toLocaleString('en')} positive)`);
console.log('\n| held-out ranking of good outcomes | ROC AUC |');
console.log('|---|---|');
console.log(`| rule score alone (DEFAULT_WEIGHTS) | ${fmt(m.ruleAuc)} |`);
console.log(`| learned model | ${fmt(m.auc)} |`);
console.log(`| blended score, α = ${alpha} | ${fmt(m.blendedAuc)} |`);
console.log(`| oracle: hidden pair quality (ceiling) | ${fmt(oracle)} |`);
console.log(`\nlog loss ${fmt(m.logLoss, 4)} (base rate ${fmt(m.baseRateLogLoss, 4)}), Brier ${fmt(m.brier, 4)}; use the model: ${learning.shouldUseModel(model)}`);
console.log('calibration:', m.calibration.map((b) => `[${b.from.toFixed(1)},${b.to.toFixed(1)}) n=${b.count} pred ${fmt(b.meanPredicted, 2)} obs ${fmt(b.observedRate, 2)}`).join('; '));
console.log('coefficients (per unit of a [0,1] feature):', Object.fromEntries(model.features.map((f, i) => [f, Number(model.coefficients[i].toFixed(2))])));

// How much feedback it takes: the same held-out customers, models trained on the first n examples.
console.log('\n| feedback examples | status | model AUC | rule AUC | train ms |');
console.log('|---|---|---|---|---|');
const curve = [];
for (const n of [150, 500, 2_000, 10_000].filter((n) => n < examples.length)) {
  const s = performance.now();
  const r = learning.trainModel(examples.slice(0, n), { ...split, alpha, now: new Date(model.trainedAt) });
  const took = performance.now() - s;
  // Evaluate every model on the full run's held-out set, so that the rows compare.
  const metrics = r.status === 'trained' ? learning.evaluate(r.model, examples.filter((_, i) => heldOut[i]), alpha) : null;
  curve.push({ n, status: r.status, auc: metrics?.auc ?? null, ruleAuc: m.ruleAuc, ms: Math.round(took) });
  console.log(`| ${n.toLocaleString('en')} | ${r.status} | ${fmt(metrics?.auc)} | ${fmt(m.ruleAuc)} | ${took.toFixed(0)} |`);
}

// Serving cost: one blended score with its explanation.
const sample = eligible.slice(0, Math.min(50_000, eligible.length));
t = performance.now();
for (const p of sample) learning.blendedScore(customerSnap.get(p.customerRef), managerSnap.get(p.employeeNo), p.load, model, { alpha });
const perPair = ((performance.now() - t) * 1000) / sample.length;
console.log(`\n[bench] blendedScore with explanation: ${perPair.toFixed(1)} µs per pair (${sample.length.toLocaleString('en')} pairs)`);

const out = join(local, 'bench/learning');
mkdirSync(out, { recursive: true });
const results = {
  customers: customersN,
  managers: managersN,
  sampledPairs: sampled.length,
  eligiblePairs: eligible.length,
  positives,
  seed,
  alpha,
  trainMs: Math.round(trainMs),
  oracleAuc: oracle,
  blendMicrosPerPair: perPair,
  curve,
  model,
};
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(`[bench] wrote ${join(out, 'results.json')}`);
