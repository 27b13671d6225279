/**
 * A field rule is data: what one input field may hold. The HTTP layer (class-validator decorators built from it in
 * libs/service-kit), the CSV import (columns built from it in libs/csv), the data generator and the tests all read
 * the same rule, so a limit or a vocabulary is written once. `fieldProblem` is the rule's own check of a value
 * already in its JSON shape.
 */

interface RuleBase {
  /** null is a value of its own: "not known" / "clear it". */
  nullable?: boolean;
  /** Replaces the generic phrase for a value that breaks the rule, e.g. "must be a branch code such as SH-PD-001". */
  message?: string;
}

export interface TextRule extends RuleBase {
  kind: 'text';
  minLength?: number;
  /** In characters (code points), as MariaDB counts them. */
  maxLength: number;
  pattern?: RegExp;
  /** How the value is stored: surrounding spaces dropped, and optionally lowercased. */
  normalise?: 'trim' | 'trim-lowercase';
}

export interface OneOfRule<T extends string = string> extends RuleBase {
  kind: 'oneOf';
  values: readonly T[];
}

export interface ListRule<T extends string = string> extends RuleBase {
  kind: 'list';
  /** Each item is one of these … */
  values?: readonly T[];
  /** … or matches this (with `itemMessage` describing an item, e.g. "a tag code"). */
  itemPattern?: RegExp;
  itemMaxLength?: number;
  itemMessage?: string;
  minItems?: number;
  maxItems: number;
}

export interface NumberRule extends RuleBase {
  kind: 'number';
  min: number;
  max: number;
  integer?: boolean;
  decimals?: number;
  /** Phrases for the three ways to break it, when the generic ones do not say enough. */
  messages?: { type?: string; min?: string; max?: string };
}

export interface DateRule extends RuleBase {
  kind: 'date';
  min?: string;
  /** A YYYY-MM-DD bound, or 'today' (evaluated at each check). */
  max?: string | 'today';
}

export interface UuidRule extends RuleBase {
  kind: 'uuid';
}

export interface BooleanRule extends RuleBase {
  kind: 'boolean';
}

/** A rule with its own check (a check digit, a questionnaire): `problem` says what is wrong, or null. */
export interface CheckedRule<T = string> extends RuleBase {
  kind: 'checked';
  /** The JSON type the value has before `problem` runs. */
  type: 'string' | 'string[]';
  maxLength?: number;
  normalise?: (value: T) => T;
  problem: (value: T) => string | null;
}

export type FieldRule = TextRule | OneOfRule | ListRule | NumberRule | DateRule | UuidRule | BooleanRule | CheckedRule<string> | CheckedRule<string[]>;
export type FieldRules = Readonly<Record<string, FieldRule>>;

export const textRule = (rule: Omit<TextRule, 'kind'>): TextRule => ({ kind: 'text', ...rule });
export const oneOfRule = <T extends string>(values: readonly T[], rule: Omit<OneOfRule<T>, 'kind' | 'values'> = {}): OneOfRule<T> => ({ kind: 'oneOf', values, ...rule });
export const listRule = <T extends string = string>(rule: Omit<ListRule<T>, 'kind'>): ListRule<T> => ({ kind: 'list', ...rule });
export const numberRule = (rule: Omit<NumberRule, 'kind'>): NumberRule => ({ kind: 'number', ...rule });
export const dateRule = (rule: Omit<DateRule, 'kind'> = {}): DateRule => ({ kind: 'date', ...rule });
export const uuidRule = (rule: Omit<UuidRule, 'kind'> = {}): UuidRule => ({ kind: 'uuid', ...rule });
export const booleanRule = (rule: Omit<BooleanRule, 'kind'> = {}): BooleanRule => ({ kind: 'boolean', ...rule });
export const checkedRule = <T extends string | string[]>(rule: Omit<CheckedRule<T>, 'kind'>): CheckedRule<T> => ({ kind: 'checked', ...rule });

/** Branch, tag, interest and employee codes: the shape the match snapshots accept. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a YYYY-MM-DD string names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Today as YYYY-MM-DD (UTC), the default upper bound of a date rule. */
export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** The upper bound of a date rule on `now`'s day. */
export function dateMaxOf(rule: DateRule, now: Date = new Date()): string | undefined {
  return rule.max === 'today' ? todayUtc(now) : rule.max;
}

const characters = (value: string) => Array.from(value).length;

/** Why a string breaks a date rule, or null. */
export function dateProblem(rule: DateRule, value: string, now: Date = new Date()): string | null {
  const max = dateMaxOf(rule, now);
  if (!isCalendarDate(value) || (rule.min !== undefined && value < rule.min) || (max !== undefined && value > max)) {
    return rule.message ?? (rule.min !== undefined || max !== undefined ? `must be a date YYYY-MM-DD between ${rule.min ?? 'any date'} and ${max ?? 'any date'}` : 'must be a date YYYY-MM-DD');
  }
  return null;
}

/** The value as the rule stores it (trimmed, lowercased, normalised), or unchanged when it is not of the rule's type. */
export function normaliseField(rule: FieldRule, value: unknown): unknown {
  if (rule.kind === 'text' && typeof value === 'string' && rule.normalise) {
    const trimmed = value.trim();
    return rule.normalise === 'trim-lowercase' ? trimmed.toLowerCase() : trimmed;
  }
  if (rule.kind === 'checked' && rule.normalise && (rule.type === 'string' ? typeof value === 'string' : Array.isArray(value))) {
    return (rule.normalise as (v: unknown) => unknown)(value);
  }
  return value;
}

/**
 * Why `value` (already normalised, in its JSON shape) breaks the rule, as a phrase that follows the field's name, or
 * null when it is fine. null passes a nullable rule; undefined is the caller's (required or not).
 */
export function fieldProblem(rule: FieldRule, value: unknown, now: Date = new Date()): string | null {
  if (value === null) return rule.nullable ? null : 'must not be null';
  switch (rule.kind) {
    case 'text': {
      if (typeof value !== 'string') return 'must be a string';
      if (rule.minLength !== undefined && characters(value) < rule.minLength) return `must be at least ${rule.minLength} characters`;
      if (characters(value) > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
      if (rule.pattern && !rule.pattern.test(value)) return rule.message ?? 'is not in the expected format';
      return null;
    }
    case 'oneOf':
      return typeof value === 'string' && rule.values.includes(value) ? null : (rule.message ?? `must be one of ${rule.values.join(', ')}`);
    case 'list': {
      if (!Array.isArray(value)) return 'must be a list';
      if (rule.minItems !== undefined && value.length < rule.minItems) return `must list at least ${rule.minItems}`;
      if (value.length > rule.maxItems) return `may list at most ${rule.maxItems} values`;
      const itemOk = (item: unknown) =>
        typeof item === 'string' &&
        (rule.values ? rule.values.includes(item) : true) &&
        (rule.itemPattern ? rule.itemPattern.test(item) : true) &&
        (rule.itemMaxLength !== undefined ? characters(item) <= rule.itemMaxLength : true);
      const wrong = value.find((item) => !itemOk(item));
      if (wrong !== undefined) return `has "${String(wrong)}", which is not ${rule.values ? `one of ${rule.values.join(', ')}` : (rule.itemMessage ?? 'allowed')}`;
      const repeated = value.find((item, i) => value.indexOf(item) !== i);
      return repeated === undefined ? null : `lists "${String(repeated)}" twice`;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return rule.messages?.type ?? 'must be a number';
      if (rule.integer && !Number.isInteger(value)) return rule.messages?.type ?? 'must be a whole number';
      if (rule.decimals !== undefined && decimalPlaces(value) > rule.decimals) return rule.messages?.type ?? `may have at most ${rule.decimals} decimal places`;
      if (value < rule.min) return rule.messages?.min ?? `must not be less than ${rule.min}`;
      if (value > rule.max) return rule.messages?.max ?? `must not be greater than ${rule.max}`;
      return null;
    }
    case 'date':
      return typeof value === 'string' ? dateProblem(rule, value, now) : (rule.message ?? 'must be a date YYYY-MM-DD');
    case 'uuid':
      return typeof value === 'string' && UUID_PATTERN.test(value) ? null : 'must be a UUID';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'checked': {
      const typed = rule.type === 'string' ? typeof value === 'string' : Array.isArray(value) && value.every((v) => typeof v === 'string');
      if (!typed) return rule.type === 'string' ? 'must be a string' : 'must be a list';
      if (rule.maxLength !== undefined && typeof value === 'string' && characters(value) > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
      return (rule.problem as (v: unknown) => string | null)(value);
    }
  }
}

function decimalPlaces(value: number): number {
  const [, fraction = ''] = String(value).split('.');
  return /e-/i.test(String(value)) ? Number.POSITIVE_INFINITY : fraction.length;
}

/** A problem with one field of an input, the field named. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Checks a whole input against an aggregate's rules: every field present (normalised first), and every `required`
 * one present and not null. Unknown fields are not the rules' business. Each message starts with the field's name.
 */
export function recordProblems(rules: FieldRules, input: Readonly<Record<string, unknown>>, required: readonly string[] = [], now: Date = new Date()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [field, rule] of Object.entries(rules)) {
    const value = input[field];
    if (value === undefined || (value === null && required.includes(field))) {
      if (required.includes(field)) problems.push({ field, message: `${field} is required` });
      continue;
    }
    const problem = fieldProblem(rule, normaliseField(rule, value), now);
    if (problem) problems.push({ field, message: `${field} ${problem}` });
  }
  return problems;
}
