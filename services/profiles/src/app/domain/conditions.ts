import { CUSTOMER_LANGUAGES, GENDERS, PRODUCTS } from '@relationship/domain-rules';
import {
  ACTIVITY_LEVELS,
  AGE_BANDS,
  CHANNELS,
  INCOME_BANDS,
  LIFECYCLE_STAGES,
  NEEDS,
  RISK_LEVELS,
  SEGMENTS,
} from '@relationship/contracts';

/**
 * The rule language: a JSON condition tree over portrait fields, never evaluated as code.
 *
 *   { "all": [c, …] }   every child holds          { "any": [c, …] }   at least one child holds
 *   { "not": c }        the child does not hold    { "field": "aumCny", "op": "gte", "value": 500000 }
 *
 * Fields and the operators each accepts are listed in CONDITION_FIELDS; a tree is validated against them when a
 * rule is saved, so evaluation never meets an unknown field, operator or value type.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: string; value?: unknown };

type FieldKind = 'number' | 'enum' | 'text' | 'boolean' | 'set';

interface FieldSpec {
  kind: FieldKind;
  /** Allowed values for enums and sets of known codes; absent for free text and free codes. */
  values?: readonly string[];
  description: string;
}

export const CONDITION_FIELDS: Readonly<Record<string, FieldSpec>> = {
  aumCny: { kind: 'number', description: 'assets under management, CNY' },
  age: { kind: 'number', description: 'age in whole years (null without a birth date)' },
  ageBand: { kind: 'enum', values: AGE_BANDS, description: 'age band' },
  gender: { kind: 'enum', values: GENDERS, description: 'gender' },
  segment: { kind: 'enum', values: SEGMENTS, description: 'segment derived from AUM' },
  riskLevel: { kind: 'enum', values: RISK_LEVELS, description: 'risk level from the questionnaire' },
  incomeBand: { kind: 'enum', values: INCOME_BANDS, description: 'income band' },
  activityLevel: { kind: 'enum', values: ACTIVITY_LEVELS, description: 'recent activity level' },
  lifecycleStage: { kind: 'enum', values: LIFECYCLE_STAGES, description: 'lifecycle stage' },
  preferredLanguage: { kind: 'enum', values: CUSTOMER_LANGUAGES, description: 'preferred language' },
  preferredChannel: { kind: 'enum', values: CHANNELS, description: 'preferred channel' },
  city: { kind: 'text', description: 'city' },
  homeBranchId: { kind: 'text', description: 'home branch code' },
  productsHeld: { kind: 'set', values: PRODUCTS, description: 'products held' },
  interests: { kind: 'set', description: 'interest codes' },
  tags: { kind: 'set', description: 'manual tags (rule-derived tags are not inputs, so rules never chain)' },
  needs: { kind: 'set', values: NEEDS, description: 'declared and staff-added needs (rule-derived needs are not inputs)' },
  consentProfiling: { kind: 'boolean', description: 'consent to profiling' },
  consentMarketing: { kind: 'boolean', description: 'consent to marketing' },
  consentDataSharing: { kind: 'boolean', description: 'consent to data sharing' },
};

export const OPERATORS: Readonly<Record<FieldKind, readonly string[]>> = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  enum: ['eq', 'ne', 'in', 'notIn', 'exists'],
  text: ['eq', 'ne', 'in', 'notIn', 'startsWith', 'exists'],
  boolean: ['eq'],
  set: ['contains', 'notContains', 'containsAny', 'containsAll', 'isEmpty'],
};

export type ConditionFacts = Record<string, number | string | boolean | readonly string[] | null>;

const MAX_DEPTH = 8;
const MAX_NODES = 100;
const MAX_CHILDREN = 50;
const MAX_LIST = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem with a condition tree, each naming its path (`condition.all[1].field`); empty when valid. */
export function conditionProblems(tree: unknown, path = 'condition'): string[] {
  const problems: string[] = [];
  let nodes = 0;

  const visit = (node: unknown, at: string, depth: number): void => {
    nodes += 1;
    if (nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) problems.push(`${path}: has more than ${MAX_NODES} nodes`);
      return;
    }
    if (depth > MAX_DEPTH) {
      problems.push(`${at}: nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    if (!isObject(node)) {
      problems.push(`${at}: must be an object ({all}, {any}, {not} or {field, op, value})`);
      return;
    }
    const keys = Object.keys(node);
    for (const group of ['all', 'any'] as const) {
      if (group in node) {
        if (keys.length !== 1) problems.push(`${at}: "${group}" must be the only key`);
        const children = node[group];
        if (!Array.isArray(children) || children.length === 0 || children.length > MAX_CHILDREN) {
          problems.push(`${at}.${group}: must be a list of 1 to ${MAX_CHILDREN} conditions`);
          return;
        }
        children.forEach((child, i) => visit(child, `${at}.${group}[${i}]`, depth + 1));
        return;
      }
    }
    if ('not' in node) {
      if (keys.length !== 1) problems.push(`${at}: "not" must be the only key`);
      visit(node['not'], `${at}.not`, depth + 1);
      return;
    }
    const extra = keys.filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length) problems.push(`${at}: unknown key ${extra.map((k) => `"${k}"`).join(', ')}`);
    const field = node['field'];
    if (typeof field !== 'string') {
      problems.push(`${at}.field: is required (one of ${Object.keys(CONDITION_FIELDS).join(', ')})`);
      return;
    }
    const spec = CONDITION_FIELDS[field];
    if (!spec) {
      problems.push(`${at}.field: unknown field "${field}" (known: ${Object.keys(CONDITION_FIELDS).join(', ')})`);
      return;
    }
    const op = node['op'];
    if (typeof op !== 'string' || !OPERATORS[spec.kind].includes(op)) {
      problems.push(`${at}.op: "${String(op)}" is not an operator for ${field} (use ${OPERATORS[spec.kind].join(', ')})`);
      return;
    }
    const problem = valueProblem(spec, op, node['value']);
    if (problem) problems.push(`${at}.value: ${problem}`);
  };

  visit(tree, path, 1);
  return problems;
}

function valueProblem(spec: FieldSpec, op: string, value: unknown): string | null {
  const member = (v: unknown): string | null => {
    if (typeof v !== 'string' || v.length === 0 || v.length > 64) return 'must be a non-empty text of at most 64 characters';
    if (spec.values && !spec.values.includes(v)) return `"${v}" is not one of ${spec.values.join(', ')}`;
    return null;
  };
  const list = (v: unknown): string | null => {
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST) return `must be a list of 1 to ${MAX_LIST} values`;
    for (const item of v) {
      const problem = member(item);
      if (problem) return problem;
    }
    return null;
  };
  if (op === 'exists' || op === 'isEmpty') return typeof value === 'boolean' ? null : 'must be true or false';
  switch (spec.kind) {
    case 'number':
      if (op === 'between') {
        return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v)) && value[0] <= value[1]
          ? null
          : 'must be [min, max] with min ≤ max';
      }
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum':
    case 'text':
      if (op === 'in' || op === 'notIn') return list(value);
      return member(value);
    case 'set':
      if (op === 'containsAny' || op === 'containsAll') return list(value);
      return member(value);
  }
}

/** Whether the facts satisfy a (validated) tree. A missing value fails every test except ne, notIn and exists false. */
export function evaluateCondition(tree: Condition, facts: ConditionFacts): boolean {
  if ('all' in tree) return tree.all.every((c) => evaluateCondition(c, facts));
  if ('any' in tree) return tree.any.some((c) => evaluateCondition(c, facts));
  if ('not' in tree) return !evaluateCondition(tree.not, facts);
  const actual = facts[tree.field];
  const value = tree.value;
  switch (tree.op) {
    case 'exists':
      return (actual !== null && actual !== undefined) === value;
    case 'isEmpty':
      return (!Array.isArray(actual) || actual.length === 0) === value;
    case 'eq':
      return actual !== null && actual !== undefined && actual === value;
    case 'ne':
      return actual !== value;
    case 'gt':
      return typeof actual === 'number' && actual > (value as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (value as number);
    case 'lt':
      return typeof actual === 'number' && actual < (value as number);
    case 'lte':
      return typeof actual === 'number' && actual <= (value as number);
    case 'between': {
      const [min, max] = value as [number, number];
      return typeof actual === 'number' && actual >= min && actual <= max;
    }
    case 'in':
      return typeof actual === 'string' && (value as string[]).includes(actual);
    case 'notIn':
      return typeof actual !== 'string' || !(value as string[]).includes(actual);
    case 'startsWith':
      return typeof actual === 'string' && actual.startsWith(value as string);
    case 'contains':
      return Array.isArray(actual) && actual.includes(value as string);
    case 'notContains':
      return !Array.isArray(actual) || !actual.includes(value as string);
    case 'containsAny':
      return Array.isArray(actual) && (value as string[]).some((v) => actual.includes(v));
    case 'containsAll':
      return Array.isArray(actual) && (value as string[]).every((v) => actual.includes(v));
    default:
      return false;
  }
}
