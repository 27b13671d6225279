import type { CustomerMatchSnapshot, ManagerMatchSnapshot, Segment } from '@relationship/contracts';
import { DEFAULT_WEIGHTS, FACTORS, managerPerformance, type FactorWeights, type ManagerLoad } from './factors';
import { effectiveWeights } from './score';

const SEGMENT_ORDER: readonly Segment[] = ['mass', 'affluent', 'high_net_worth', 'private'];
const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Managers prepared once for scoring many customers against them: flags, lookups and per-manager factors. */
export interface CompiledManagers {
  readonly count: number;
  readonly weights: FactorWeights;
  /** Excluded whatever the customer: not active, no capacity, full. */
  readonly closed: Uint8Array;
  readonly privateOk: Uint8Array;
  /** segmentFit per manager and customer segment index: `[m * 4 + s]`. */
  readonly segmentFit: Float64Array;
  /** riskExpertise's "planner" value per manager. */
  readonly planner: Float64Array;
  readonly performance: Float64Array;
  readonly loadHeadroom: Float64Array;
  readonly branch: string[];
  readonly city: (string | null)[];
  readonly languages: readonly (readonly string[])[];
  readonly expertise: readonly (readonly string[])[];
  readonly interests: readonly (readonly string[])[];
}

/**
 * Prepares managers (with the loads to score against) for `scoreRowCompiled`. Everything that depends on the manager
 * alone is computed here once, with the very same arithmetic as `factorValues` and `exclusions`.
 */
export function compileManagers(managers: readonly ManagerMatchSnapshot[], loads: readonly ManagerLoad[], weights: FactorWeights = DEFAULT_WEIGHTS): CompiledManagers {
  const n = managers.length;
  const closed = new Uint8Array(n);
  const privateOk = new Uint8Array(n);
  const segmentFit = new Float64Array(n * 4);
  const planner = new Float64Array(n);
  const performance = new Float64Array(n);
  const loadHeadroom = new Float64Array(n);
  managers.forEach((manager, j) => {
    const load = loads[j];
    closed[j] = manager.availability !== 'active' || manager.capacity <= 0 || load.assigned >= manager.capacity ? 1 : 0;
    const certified = manager.certifications.some((c) => c === 'CFP' || c === 'CFA');
    privateOk[j] = manager.title === 'private_banker' || certified ? 1 : 0;
    const served = manager.segmentsServed.map((s) => SEGMENT_ORDER.indexOf(s));
    for (let s = 0; s < 4; s++) {
      const distance = Math.min(...served.map((x) => Math.abs(x - s)));
      segmentFit[j * 4 + s] = distance === 0 ? 1 : distance === 1 ? 0.4 : 0;
    }
    planner[j] = certified ? 1 : manager.certifications.includes('AFP') ? 0.6 : 0.2;
    performance[j] = managerPerformance(manager);
    loadHeadroom[j] = manager.capacity > 0 ? clamp01(1 - load.assigned / manager.capacity) : 0;
  });
  return {
    count: n,
    weights,
    closed,
    privateOk,
    segmentFit,
    planner,
    performance,
    loadHeadroom,
    branch: managers.map((m) => m.branchId),
    city: managers.map((m) => m.city),
    languages: managers.map((m) => m.languages),
    expertise: managers.map((m) => m.expertise),
    interests: managers.map((m) => m.interests),
  };
}

/**
 * `scorePair(customer, managers[j], loads[j], weights).score` for `count` managers at once (NaN when the pair is
 * excluded), without building explanations: the same factors, weights, rounding and summation order, so the numbers
 * are identical (the tests compare them bit for bit). For scoring the many candidate pairs of a rebalance.
 */
export function scoreRowCompiled(compiled: CompiledManagers, customer: CustomerMatchSnapshot, managers: Int32Array, count: number, out: Float64Array): void {
  const used = effectiveWeights(customer, compiled.weights);
  const active = FACTORS.filter((f) => used[f] > 0);
  const segment = SEGMENT_ORDER.indexOf(customer.segment);
  const demanding = customer.riskLevel === 'C4' || customer.riskLevel === 'C5' || segment >= 1;
  const needs = customer.needs;
  const interests = customer.interests;
  const language = customer.preferredLanguage;
  const values: Record<string, number> = {};
  for (let t = 0; t < count; t++) {
    const j = managers[t];
    const languages = compiled.languages[j];
    if (compiled.closed[j] || !languages.includes(language) || (customer.segment === 'private' && !compiled.privateOk[j])) {
      out[t] = Number.NaN;
      continue;
    }
    const expertise = compiled.expertise[j];
    let covered = 0;
    for (const need of needs) if (expertise.includes(need)) covered++;
    values['needFit'] = needs.length === 0 ? 0.5 : covered / needs.length;
    values['segmentFit'] = compiled.segmentFit[j * 4 + segment];
    const planner = compiled.planner[j];
    values['riskExpertise'] = demanding ? planner : Math.max(planner, 0.8);
    values['language'] = 1;
    values['proximity'] =
      customer.homeBranchId !== null && customer.homeBranchId === compiled.branch[j]
        ? 1
        : customer.city !== null && customer.city === compiled.city[j]
          ? 0.7
          : 0.2;
    const theirs = compiled.interests[j];
    let shared = 0;
    for (const interest of interests) if (theirs.includes(interest)) shared++;
    values['sharedInterests'] = interests.length === 0 ? 0 : clamp01(shared / Math.min(3, interests.length));
    values['performance'] = compiled.performance[j];
    values['loadHeadroom'] = compiled.loadHeadroom[j];
    let sum = 0;
    for (const factor of active) sum += round2(used[factor] * values[factor]);
    out[t] = round2(sum);
  }
}
