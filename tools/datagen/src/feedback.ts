/**
 * Outcome feedback for generated customers and managers: what happened after a (customer, manager) pair was
 * proposed — accepted or declined, the customer's satisfaction, retention and AUM growth after 12 months.
 *
 * Outcomes come from the generator's hidden ground truth (manager skill, the customer's preference for a senior
 * manager and for their own language, their patience) AND from observable fit (needs × expertise, segment served,
 * planner certification for demanding customers, proximity, shared interests), plus noise. So a model trained on
 * the outcomes can learn more than the rule score knows (e.g. that seniority matters to wealthy customers), but
 * never everything (patience and most of skill stay hidden).
 *
 * Deterministic: every pair draws from its own random stream, seeded by (seed, customer, manager), so a pair's
 * outcome depends neither on the order of the pairs nor on which other pairs are simulated.
 */
// Node runs this tool from source (type stripping), which cannot resolve tsconfig path aliases.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { hashString, seededRandom } from '@relationship/seeded-random';
import type { GeneratedCustomer } from './customers.ts';
import type { GeneratedManager } from './managers.ts';

/** A proposed or assigned pair. `utilisation` is the manager's book filled share (0–1) when it happened. */
export interface FeedbackPair {
  customerRef: string;
  employeeNo: string;
  utilisation?: number;
}

export interface SimulatedOutcome {
  customerRef: string;
  employeeNo: string;
  accepted: boolean;
  /** 1–5 after a year with the manager; null when the customer declined (never served by this manager). */
  satisfaction: 1 | 2 | 3 | 4 | 5 | null;
  /** Still a customer of the bank 12 months after the assignment; null when declined. */
  retained: boolean | null;
  /** AUM change after 12 months as a fraction (0.08 = +8 %); null when declined. */
  aumGrowth12m: number | null;
}

const TITLES: readonly GeneratedManager['title'][] = ['associate', 'manager', 'senior_manager', 'director', 'private_banker'];

export type GeneratedSegment = 'mass' | 'affluent' | 'high_net_worth' | 'private';

/** The portrait service's default thresholds (SEGMENT_THRESHOLDS_CNY): mass < 500k ≤ affluent < 6M ≤ HNW < 30M ≤ private. */
export function segmentOf(aumCny: number): GeneratedSegment {
  if (aumCny < 500_000) return 'mass';
  if (aumCny < 6_000_000) return 'affluent';
  if (aumCny < 30_000_000) return 'high_net_worth';
  return 'private';
}

/** The latent quality of a pair (log-odds scale), split into what the rule score can see and what it cannot. */
export interface PairQuality {
  /** From observable fit: needs × expertise, segment served, certification, proximity, interests. */
  observable: number;
  /** From the hidden truth: skill, seniority for those who want it, language for those who insist. */
  hidden: number;
  /** Both, after the customer's patience (impatient customers punish a poor pair and a busy manager harder). */
  total: number;
}

export function pairQuality(customer: GeneratedCustomer, manager: GeneratedManager, utilisation = 0.5): PairQuality {
  const needCoverage = customer.needs.filter((n) => manager.expertise.includes(n)).length / Math.max(1, customer.needs.length);
  const segment = segmentOf(customer.aumCny);
  const demanding = customer.riskLevel === 'C4' || customer.riskLevel === 'C5' || segment !== 'mass';
  const planner = manager.certifications.includes('CFP') || manager.certifications.includes('CFA');
  const shared = customer.interests.filter((i) => manager.interests.includes(i)).length;
  const observable =
    1.4 * (needCoverage - 0.4) +
    (manager.segmentsServed.includes(segment) ? 0.5 : -0.5) +
    (demanding ? (planner ? 0.4 : -0.3) : 0) +
    (customer.homeBranchId === manager.branchId ? 0.3 : customer.city === manager.city ? 0.1 : -0.2) +
    0.15 * Math.min(3, shared);

  const rank = TITLES.indexOf(manager.title);
  const speaks = manager.languages.includes(customer.preferredLanguage);
  const hidden =
    2.2 * (manager.hidden.skill - 0.6) +
    (customer.hidden.prefersSeniorManager ? 0.45 * (rank - 2) : 0) +
    (speaks ? 0 : customer.hidden.prefersSameLanguage ? -1.5 : -0.3);

  const impatience = 1 - customer.hidden.patience;
  const raw = observable + hidden;
  const total = (raw < 0 ? raw * (1 + 0.8 * impatience) : raw) - 0.8 * impatience * Math.min(1, Math.max(0, utilisation));
  return { observable, hidden, total };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** One pair's outcome; the same (customer, manager, seed, utilisation) always gives the same outcome. */
export function simulateOutcome(customer: GeneratedCustomer, manager: GeneratedManager, seed: number, utilisation = 0.5): SimulatedOutcome {
  const next = seededRandom(hashString(`${seed}|${customer.externalRef}|${manager.employeeNo}`));
  const q = pairQuality(customer, manager, utilisation).total;
  const pair = { customerRef: customer.externalRef, employeeNo: manager.employeeNo };
  if (next() >= sigmoid(0.6 + q)) return { ...pair, accepted: false, satisfaction: null, retained: null, aumGrowth12m: null };
  const satisfaction = Math.min(5, Math.max(1, Math.round(3.3 + 0.9 * q + 0.8 * gaussian(next)))) as 1 | 2 | 3 | 4 | 5;
  const retained = next() < sigmoid(1.4 + 0.9 * q + 0.4 * (satisfaction - 3));
  const growth = retained
    ? 0.03 + 0.06 * q + 0.1 * (manager.hidden.skill - 0.6) + 0.05 * gaussian(next)
    : -0.4 - 0.3 * next();
  return { ...pair, accepted: true, satisfaction, retained, aumGrowth12m: Math.round(growth * 10_000) / 10_000 };
}

/** Outcomes of many pairs, in the order given. Unknown references are an error. */
export function simulateFeedback(
  customers: readonly GeneratedCustomer[],
  managers: readonly GeneratedManager[],
  pairs: readonly FeedbackPair[],
  seed: number,
): SimulatedOutcome[] {
  const byRef = new Map(customers.map((c) => [c.externalRef, c]));
  const byNo = new Map(managers.map((m) => [m.employeeNo, m]));
  return pairs.map((p) => {
    const customer = byRef.get(p.customerRef);
    const manager = byNo.get(p.employeeNo);
    if (!customer) throw new Error(`unknown customer ${p.customerRef}`);
    if (!manager) throw new Error(`unknown manager ${p.employeeNo}`);
    return simulateOutcome(customer, manager, seed, p.utilisation);
  });
}

/**
 * Pairs that look like past proposals: `count` customers drawn at random (with repetition across calls of the
 * same customer allowed), each with a manager of the same city 70 % of the time (any manager otherwise), who
 * speaks the customer's language 90 % of the time, and a random book utilisation. Deterministic for a seed.
 */
export function samplePairs(
  customers: readonly GeneratedCustomer[],
  managers: readonly GeneratedManager[],
  count: number,
  seed: number,
): FeedbackPair[] {
  if (customers.length === 0 || managers.length === 0) return [];
  const next = seededRandom(hashString(`pairs|${seed}`));
  const pick = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(next() * xs.length))] as T;
  const byCity = new Map<string, GeneratedManager[]>();
  for (const m of managers) byCity.set(m.city, [...(byCity.get(m.city) ?? []), m]);
  const pairs: FeedbackPair[] = [];
  for (let i = 0; i < count; i++) {
    const customer = pick(customers);
    const local = byCity.get(customer.city);
    let pool = local && next() < 0.7 ? local : managers;
    if (next() < 0.9) {
      const speakers = pool.filter((m) => m.languages.includes(customer.preferredLanguage));
      if (speakers.length) pool = speakers;
    }
    const manager = pick(pool);
    pairs.push({ customerRef: customer.externalRef, employeeNo: manager.employeeNo, utilisation: Math.round(next() * 100) / 100 });
  }
  return pairs;
}

/** A deterministic RFC 4122 (version 4 layout) UUID for a generated entity's reference. */
export function uuidFor(ref: string): string {
  const hex = [1, 2, 3, 4].map((k) => hashString(`${k}|${ref}`).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const REFERENCE_YEAR = 2026;

function ageBand(birthDate: string): string {
  const age = REFERENCE_YEAR - Number(birthDate.slice(0, 4));
  if (age < 25) return 'lt_25';
  if (age < 35) return '25_34';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  if (age < 65) return '55_64';
  return '65_plus';
}

/**
 * A generated customer as matching sees it (the shape of CustomerMatchSnapshot in libs/contracts): no name,
 * contact data, ID number or hidden truth.
 */
export function customerSnapshot(c: GeneratedCustomer) {
  return {
    customerId: uuidFor(c.externalRef),
    userId: null,
    segment: segmentOf(c.aumCny),
    aumCny: c.aumCny,
    riskLevel: c.riskLevel,
    needs: [...c.needs],
    interests: [...c.interests],
    tags: [] as string[],
    preferredLanguage: c.preferredLanguage,
    preferredChannel: c.preferredChannel,
    city: c.city,
    homeBranchId: c.homeBranchId,
    ageBand: ageBand(c.birthDate),
    lifecycleStage: c.activityLevel === 'none' ? 'dormant' : 'mature',
    activityLevel: c.activityLevel,
    consent: { profiling: c.consentProfiling, marketing: c.consentMarketing, data_sharing: false },
    householdId: null,
  };
}

/** A generated manager as matching sees it (the shape of ManagerMatchSnapshot): no contact data, no hidden skill. */
export function managerSnapshot(m: GeneratedManager) {
  return {
    managerId: uuidFor(m.employeeNo),
    userId: null,
    employeeNo: m.employeeNo,
    displayName: m.name,
    branchId: m.branchId,
    region: m.region,
    city: m.city,
    title: m.title,
    expertise: [...m.expertise],
    certifications: [...m.certifications],
    languages: [...m.languages],
    segmentsServed: [...m.segmentsServed],
    interests: [...m.interests],
    capacity: m.capacity,
    availability: m.availability,
    coverManagerId: null,
    performance: { satisfaction: m.satisfaction, retention: m.retention, aumGrowth: m.aumGrowth },
  };
}
