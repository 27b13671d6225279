import type { Need } from '@relationship/contracts';
import { normaliseName, queryGrams } from '../domain/name-grams';
import { maskOf, NEED_BITS } from '../domain/value-masks';
import { LOW_CARDINALITY_INDEXES } from '../portraits/customer-portrait.entity';

export const SEARCH_SORTS = ['aum', 'name', 'updatedAt', 'createdAt'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchFilter {
  q?: string;
  tags?: readonly string[];
  /** Bits of the requested tags that have one (TagBits); a tag without a bit is matched through customer_tag. */
  tagBits?: ReadonlyMap<string, number>;
  needs?: readonly Need[];
  segments?: readonly string[];
  riskLevels?: readonly string[];
  branches?: readonly string[];
  cities?: readonly string[];
  aumMin?: number;
  aumMax?: number;
  assignedManagerId?: string;
  unassigned?: boolean;
  sort: SearchSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface SearchSql {
  /** Ids of the requested page, in order. */
  pageSql: string;
  pageParams: unknown[];
  countSql: string;
  countParams: unknown[];
}

const SORT_COLUMNS: Record<SearchSort, string> = {
  aum: 'c.aum_cny',
  name: 'c.display_name',
  updatedAt: 'c.updated_at',
  createdAt: 'c.created_at',
};

/** Totals are exact up to this many matches; above it the page says `totalExact: false`. */
export const COUNT_CAP = 10_000;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The search as two parameterised statements (never string-built values): page ids and total.
 * Equality/IN filters lead a `(filter, sort, id, …every other search column)` index (customer_portrait.entity), a
 * range on `aum_cny`, needs and tags as `mask & bits = bits` on the row's bitmasks, and name grams instead of a
 * `%x%` scan. The tie-breaker `id` runs in the same direction as the sort, so the index delivers rows already
 * ordered, and every other condition (masks included) is checked inside that index: page and total never read the
 * wide rows nor customer_need / customer_tag (a tag past the catalogue's 64 bits falls back to an EXISTS probe).
 */
export function buildSearchSql(filter: SearchFilter): SearchSql {
  const where: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly unknown[] | undefined) => {
    if (!values?.length) return;
    where.push(`${column} in (${placeholders(values.length)})`);
    params.push(...values);
  };
  inList('c.segment', filter.segments);
  inList('c.risk_level', filter.riskLevels);
  inList('c.home_branch_id', filter.branches);
  inList('c.city', filter.cities);
  if (filter.aumMin !== undefined) {
    where.push('c.aum_cny >= ?');
    params.push(filter.aumMin);
  }
  if (filter.aumMax !== undefined) {
    where.push('c.aum_cny <= ?');
    params.push(filter.aumMax);
  }
  if (filter.assignedManagerId) {
    where.push('c.assigned_manager_id = ?');
    params.push(filter.assignedManagerId);
  }
  if (filter.unassigned) where.push('c.assigned_manager_id is null');
  const mask = (column: string, bits: number[]) => {
    if (!bits.length) return;
    // Decimal strings: exact up to bit 63, read by MariaDB as unsigned integers.
    const value = maskOf(bits);
    where.push(`${column} & ? = ?`);
    params.push(value, value);
  };
  const needs = [...new Set(filter.needs ?? [])];
  mask('c.need_mask', needs.map((n) => NEED_BITS[n]));
  const tags = [...new Set(filter.tags ?? [])];
  const tagBit = (tag: string) => filter.tagBits?.get(tag);
  mask('c.tag_mask', tags.flatMap((t) => tagBit(t) ?? []));
  for (const tag of tags.filter((t) => tagBit(t) === undefined)) {
    where.push('exists (select 1 from customer_tag t where t.customer_id = c.id and t.tag_code = ?)');
    params.push(tag);
  }
  const q = filter.q ? normaliseName(filter.q) : '';
  if (q) {
    const grams = queryGrams(q);
    const joins = grams.slice(1).map((_, i) => ` join customer_name_gram g${i + 1} on g${i + 1}.customer_id = g0.customer_id and g${i + 1}.gram = ?`);
    where.push(`c.id in (select g0.customer_id from customer_name_gram g0${joins.join('')} where g0.gram = ?)`);
    params.push(...grams.slice(1), grams[0]);
    // Pairs in any order could match more than the query: confirm the substring on the candidates.
    if (Array.from(q).length > 2) {
      where.push("replace(replace(lower(c.display_name), ' ', ''), '·', '') like ?");
      params.push(`%${escapeLike(q)}%`);
    }
  }
  // InnoDB caps range estimates at half the table, so "city = X" and "segment = mass" (70 % of customers) look alike
  // to the optimizer, which then picks whichever index comes first. When a many-valued column is filtered by
  // equality, indexes led by segment or risk level (a handful of values) are never the better range: leave them out.
  const selective = !!(filter.cities?.length || filter.branches?.length || filter.assignedManagerId);
  const hint = selective ? ` ignore index (${LOW_CARDINALITY_INDEXES.join(', ')})` : '';
  const whereSql = `${hint}${where.length ? ` where ${where.join(' and ')}` : ''}`;
  const direction = filter.order === 'asc' ? 'asc' : 'desc';
  return {
    pageSql: `select c.id from customer_portrait c${whereSql} order by ${SORT_COLUMNS[filter.sort]} ${direction}, c.id ${direction} limit ? offset ?`,
    pageParams: [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    // Counting stops past COUNT_CAP: an exact total of a huge result costs more than the page and tells staff nothing.
    countSql: `select count(*) as n from (select 1 from customer_portrait c${whereSql} limit ${COUNT_CAP + 1}) counted`,
    countParams: params,
  };
}
