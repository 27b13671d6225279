import { fieldProblem, normaliseField, type BooleanRule, type CheckedRule, type FieldRule, type ListRule, type NumberRule, type OneOfRule } from '@relationship/domain-rules';
import { boolean, cell, cellProblem, cellValue, CsvColumn, date, list, number, oneOf, uuid, type CsvColumns } from './columns';

/** The value a rule's column yields for a non-empty cell. */
export type RuleValue<R extends FieldRule> =
  R extends OneOfRule<infer T> ? T : R extends ListRule<infer T> ? T[] : R extends NumberRule ? number : R extends BooleanRule ? boolean : R extends CheckedRule<infer T> ? T : string;

/** How a cell becomes the rule's JSON value, when the file writes it differently (e.g. risk answers as "ABCD…"). */
export interface RuleColumnOptions {
  toValue?: (cell: string) => unknown;
  /** Numbers may group digits ("1,250,000.50"). */
  grouping?: boolean;
}

/**
 * The import column of a field rule from libs/domain-rules, so a file row is held to the same limits, vocabularies
 * and checks as the HTTP API. Cells are parsed as the CSV writes them (lists `;`-separated, booleans as true/是, …);
 * an empty cell is null (or [] for a list): `requireColumns` makes the required ones required.
 */
export function ruleColumn<R extends FieldRule>(rule: R, options: RuleColumnOptions = {}): CsvColumn<R extends ListRule ? RuleValue<R> : RuleValue<R> | null> {
  const column = (() => {
    switch (rule.kind) {
      case 'oneOf':
        return oneOf(rule.values);
      case 'list': {
        const { itemPattern, itemMaxLength } = rule;
        const item = itemPattern && { test: (v: string) => itemPattern.test(v) && (itemMaxLength === undefined || v.length <= itemMaxLength), describe: rule.itemMessage ?? 'allowed' };
        return list({ allowed: rule.values, item, max: rule.maxItems });
      }
      case 'number':
        return number({ min: rule.min, max: rule.max, integer: rule.integer, decimals: rule.decimals, grouping: options.grouping });
      case 'date':
        return date({ min: rule.min, max: rule.max === 'today' ? () => new Date().toISOString().slice(0, 10) : rule.max });
      case 'uuid':
        return uuid();
      case 'boolean':
        return boolean();
      case 'text':
      case 'checked':
        return cell((text) => {
          const value = normaliseField(rule, options.toValue ? options.toValue(text) : text);
          const problem = fieldProblem(rule, value);
          return problem ? cellProblem(problem) : cellValue(value);
        });
    }
  })();
  return column as unknown as CsvColumn<R extends ListRule ? RuleValue<R> : RuleValue<R> | null>;
}

type ColumnValue<C> = C extends CsvColumn<infer T> ? T : never;
/** `columns` with the `required` ones made `.required()`. */
export type WithRequired<C extends CsvColumns, R extends keyof C> = { [K in keyof C]: K extends R ? CsvColumn<Exclude<ColumnValue<C[K]>, null>> : C[K] };

/** Marks the columns a rule set requires (e.g. PORTRAIT_REQUIRED_ON_IMPORT), so the file and the API agree by construction. */
export function requireColumns<C extends CsvColumns, R extends keyof C & string>(columns: C, required: readonly R[]): WithRequired<C, R> {
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, (required as readonly string[]).includes(name) ? column.required() : column])) as WithRequired<C, R>;
}
