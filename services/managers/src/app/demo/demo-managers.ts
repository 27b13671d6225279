import { BRANCH_CATALOG, HQ_BRANCH_ID } from '@relationship/contracts';
import type { Certification, Language, ManagerTitle, Need, Segment } from '@relationship/contracts';
import { seededRandom } from '@relationship/seeded-random';
import type { ManagerFields } from '../registry/manager-rules';

/**
 * Deterministic demo registry: the five demo manager accounts (identity's manager1…manager5, linked through their
 * UserRegistered events by email) plus generated colleagues across the seeded branches. A fixed seed makes every
 * demo installation the same.
 */
export const DEMO_SEED = 20_261_126;
export const DEMO_EXTRA_MANAGERS = 45;

/** A manager to seed, plus the leave to apply once everybody exists (so covers can refer to colleagues). */
export interface DemoManager {
  fields: ManagerFields;
  leave?: { leaveFrom: string; leaveUntil: string; coverEmployeeNo: string | null };
  left?: boolean;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '许', '邓', '曹'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文博', '思远', '晓东', '雅婷', '子涵', '浩然', '欣怡', '立新', '海燕', '志刚', '丹', '颖', '鹏', '琳', '斌', '俊杰', '婷婷'];
const INTERESTS = ['golf', 'tea', 'calligraphy', 'photography', 'hiking', 'running', 'travel', 'wine', 'reading', 'cooking', 'fishing', 'badminton', 'table_tennis', 'painting', 'classical_music', 'chess', 'yoga', 'swimming'];

const TITLE_WEIGHTS: [ManagerTitle, number][] = [
  ['associate', 0.2],
  ['manager', 0.38],
  ['senior_manager', 0.25],
  ['director', 0.09],
  ['private_banker', 0.08],
];

interface TitleProfile {
  levels: [number, number];
  capacity: [number, number];
  segments: Segment[][];
  expertise: Need[];
  certifications: [Certification, number][];
}

/** What a title usually means in a Chinese retail bank: book size, clients served, typical expertise and certificates. */
const PROFILE: Record<ManagerTitle, TitleProfile> = {
  associate: {
    levels: [1, 3],
    capacity: [240, 300],
    segments: [['mass'], ['mass', 'affluent']],
    expertise: ['deposits', 'credit_card', 'wealth_management', 'insurance', 'mortgage_loans'],
    certifications: [['AFP', 0.35], ['IFP', 0.1]],
  },
  manager: {
    levels: [3, 5],
    capacity: [180, 260],
    segments: [['mass', 'affluent'], ['affluent']],
    expertise: ['wealth_management', 'insurance', 'mortgage_loans', 'education', 'retirement', 'deposits', 'sme_business'],
    certifications: [['AFP', 0.6], ['CFP', 0.2], ['RFP', 0.1]],
  },
  senior_manager: {
    levels: [5, 7],
    capacity: [130, 200],
    segments: [['affluent', 'high_net_worth'], ['affluent']],
    expertise: ['wealth_management', 'retirement', 'insurance', 'cross_border', 'sme_business', 'education', 'mortgage_loans'],
    certifications: [['AFP', 0.5], ['CFP', 0.55], ['CFA', 0.15], ['FRM', 0.08]],
  },
  director: {
    levels: [7, 9],
    capacity: [100, 150],
    segments: [['high_net_worth'], ['affluent', 'high_net_worth']],
    expertise: ['wealth_management', 'sme_business', 'cross_border', 'family_trust', 'retirement'],
    certifications: [['CFP', 0.7], ['CFA', 0.35], ['CPA', 0.15], ['FRM', 0.15]],
  },
  private_banker: {
    levels: [8, 10],
    capacity: [80, 120],
    segments: [['high_net_worth', 'private'], ['private']],
    expertise: ['wealth_management', 'family_trust', 'cross_border', 'retirement', 'insurance'],
    certifications: [['CFP', 0.8], ['CFA', 0.45], ['CIIA', 0.2], ['CPA', 0.1]],
  },
};

class Picker {
  constructor(private readonly random: () => number) {}
  float(min: number, max: number, decimals: number): number {
    return Number((min + this.random() * (max - min)).toFixed(decimals));
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items];
    const count = Math.min(pool.length, this.int(min, max));
    const chosen: T[] = [];
    while (chosen.length < count) chosen.push(pool.splice(Math.floor(this.random() * pool.length), 1)[0]);
    return chosen;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  weighted<T>(items: [T, number][]): T {
    let r = this.random() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) {
      r -= w;
      if (r <= 0) return item;
    }
    return items[items.length - 1][0];
  }
}

function generated(pick: Picker, employeeNo: string, displayName: string, branchId: string, title: ManagerTitle, extra: Partial<ManagerFields> = {}): ManagerFields {
  const profile = PROFILE[title];
  const branch = BRANCH_CATALOG.find((b) => b.id === branchId);
  const languages: Language[] = ['zh-CN'];
  if (pick.chance(title === 'private_banker' || title === 'director' ? 0.75 : 0.35)) languages.push('en');
  if (branch?.region === 'south' && pick.chance(0.6)) languages.push('yue');
  if (pick.chance(0.05)) languages.push(pick.one(['ja', 'ko'] as const));
  const certifications = profile.certifications.filter(([, p]) => pick.chance(p)).map(([c]) => c);
  const capacity = Math.round(pick.int(profile.capacity[0], profile.capacity[1]) / 10) * 10;
  return {
    userId: null,
    employeeNo,
    displayName,
    branchId,
    title,
    level: pick.int(profile.levels[0], profile.levels[1]),
    expertise: pick.some(profile.expertise, 2, 4),
    certifications,
    languages,
    segmentsServed: pick.one(profile.segments),
    interests: pick.some(INTERESTS, 1, 3),
    capacity,
    availability: 'active',
    leaveFrom: null,
    leaveUntil: null,
    coverManagerId: null,
    performance: {
      satisfaction: pick.float(3.4, 4.95, 2),
      retention: pick.float(0.78, 0.98, 3),
      aumGrowth: pick.float(-0.06, 0.32, 3),
    },
    email: `${employeeNo.toLowerCase()}@staff.demo.relationship.local`,
    phone: `139${String(pick.int(0, 99_999_999)).padStart(8, '0')}`,
    ...extra,
  };
}

/** The five demo accounts' registry records; emails match identity's demo seed so the consumer links them. */
const DEMO_ACCOUNTS: { name: string; branchId: string; title: ManagerTitle }[] = [
  { name: '郑建国', branchId: 'SH-PD-001', title: 'senior_manager' },
  { name: '谢婉清', branchId: 'SH-PD-001', title: 'private_banker' },
  { name: '韩志强', branchId: 'SH-HP-001', title: 'manager' },
  { name: '唐雪梅', branchId: 'BJ-CY-001', title: 'senior_manager' },
  { name: '冯立新', branchId: 'SZ-FT-001', title: 'manager' },
];

export function demoAccountEmail(n: number): string {
  return `manager${n}@demo.relationship.local`;
}

/** Generates `count` managers from `seed`, employee numbers RM100001…; also what a bench data set can start from. */
export function generateManagers(count: number, seed: number, firstNumber = 100_001): DemoManager[] {
  const pick = new Picker(seededRandom(seed));
  const branches = BRANCH_CATALOG.filter((b) => b.id !== HQ_BRANCH_ID).map((b) => b.id);
  const names = new Set<string>();
  const managers: DemoManager[] = [];
  for (let i = 0; i < count; i++) {
    let name = '';
    do name = pick.one(SURNAMES) + pick.one(GIVEN);
    while (names.has(name) && names.size < SURNAMES.length * GIVEN.length);
    names.add(name);
    const title = pick.weighted(TITLE_WEIGHTS);
    // Private bankers sit at head office or the big-city flagship branches.
    const branchId = title === 'private_banker' ? pick.one([HQ_BRANCH_ID, 'SH-PD-001', 'BJ-XC-001', 'SZ-FT-001']) : pick.one(branches);
    managers.push({ fields: generated(pick, `RM${firstNumber + i}`, name, branchId, title) });
  }
  return managers;
}

/** The whole demo registry, always the same: 5 demo accounts + 45 colleagues, four on leave with covers, one who left. */
export function demoManagers(): DemoManager[] {
  const pick = new Picker(seededRandom(DEMO_SEED));
  const accounts: DemoManager[] = DEMO_ACCOUNTS.map((a, i) => ({
    fields: generated(pick, `RM00000${i + 1}`, a.name, a.branchId, a.title, { email: demoAccountEmail(i + 1) }),
  }));
  const colleagues = generateManagers(DEMO_EXTRA_MANAGERS, DEMO_SEED + 1);
  const all = [...accounts, ...colleagues];
  // Leave for a few colleagues, covered by an active colleague in the same city, else the same region.
  const leaves: [index: number, from: string, until: string][] = [
    [3, '2026-11-02', '2027-02-28'],
    [11, '2026-11-16', '2026-12-31'],
    [24, '2026-12-01', '2027-05-31'],
    [37, '2026-11-20', '2027-01-15'],
  ];
  colleagues[30].left = true;
  const city = (m: DemoManager) => BRANCH_CATALOG.find((b) => b.id === m.fields.branchId)?.city;
  const region = (m: DemoManager) => BRANCH_CATALOG.find((b) => b.id === m.fields.branchId)?.region;
  const away = new Set(leaves.map(([i]) => colleagues[i].fields.employeeNo));
  for (const [i, from, until] of leaves) {
    const m = colleagues[i];
    const candidates = all.filter((o) => !away.has(o.fields.employeeNo) && !o.left && o !== m);
    const cover = candidates.find((o) => city(o) === city(m)) ?? candidates.find((o) => region(o) === region(m)) ?? candidates[0];
    m.leave = { leaveFrom: from, leaveUntil: until, coverEmployeeNo: cover?.fields.employeeNo ?? null };
  }
  return all;
}
