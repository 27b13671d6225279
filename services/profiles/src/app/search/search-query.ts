import type { Need } from '@relationship/contracts';
import { normaliseName, queryGrams } from '../domain/name-grams';
import { maskOf, NEED_BITS } from '../domain/value-masks';
import { LOW_CARDINALITY_INDEXES, SEARCH_INDEX } from '../portraits/customer-portrait.entity';

export const SEARCH_SORTS = ['aum', 'name', 'updatedAt', 'createdAt'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchFilter {
  q?: string;
  tags?: readonly string[];
  /** Bits of the requested tags that have one (TagBits); a tag without a bit is matched through customer_tag. */
  tagBits?: ReadonlyMap<string, number>;
  /** Value rows holding each requested need / tag, keyed `need:<code>` / `tag:<code>` (ValueHolders); may be partial. */
  holders?: ReadonlyMap<string, number>;
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

/**
 * A need or tag held by fewer rows than this also drives the page from its `(code, customer_id)` index: a mask
 * alone cannot tell MariaDB that it is rare, and an ordered scan then reads far down an index to fill a page.
 */
export const RARE_FOR_PAGE = 2_000;
/** The same for the total: fewer holders than the cap are fewer rows to probe than any scan that could reach it. */
export const RARE_FOR_COUNT = COUNT_CAP;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The index a total is counted from, by the equality filters present, from the usually narrowest range: a manager's
 * book, a branch (about 1/20 of customers each), a city with its segment, a city, a segment with a risk level. The
 * optimizer cannot rank these itself once they hold more than half the table's estimated rows (all estimates are
 * then the same), and a wrong pick scans twice or three times the entries. Null: its own choice is fine.
 */
function countIndex(filter: SearchFilter): string | null {
  if (filter.assignedManagerId) return SEARCH_INDEX.manager;
  if (filter.branches?.length) return SEARCH_INDEX.branch;
  if (filter.cities?.length) return filter.segments?.length ? SEARCH_INDEX.citySegment : SEARCH_INDEX.city;
  if (filter.segments?.length && filter.riskLevels?.length) return SEARCH_INDEX.segmentRisk;
  return null;
}

/**
 * The search as two parameterised statements (never string-built values): page ids and total.
 * Equality/IN filters lead a `(filter, sort, id, …every other search column)` index (customer_portrait.entity), a
 * range on `aum_cny`, needs and tags as `mask & bits = bits` on the row's bitmasks, and name grams instead of a
 * `%x%` scan. The tie-breaker `id` runs in the same direction as the sort, so the index delivers rows already
 * ordered, and every other condition (masks included) is checked inside that index: page and total never read the
 * wide rows. customer_need / customer_tag are read only to start from the few holders of a rare code (RARE_FOR_*),
 * or for a tag past the catalogue's 64 bits (an EXISTS probe).
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
  // The rarest requested need or tag (mask-filtered), by its holder count.
  const rarest = [...needs.map((code) => ['need', code] as const), ...tags.filter((t) => tagBit(t) !== undefined).map((code) => ['tag', code] as const)]
    .map(([kind, code]) => ({ kind, code, holders: filter.holders?.get(`${kind}:${code}`) ?? Infinity }))
    .sort((a, b) => a.holders - b.holders)[0];
  const driveFrom = (limit: number): { sql: string[]; params: unknown[] } =>
    rarest && rarest.holders < limit
      ? { sql: [`c.id in (select v.customer_id from customer_${rarest.kind} v where v.${rarest.kind}_code = ?)`], params: [rarest.code] }
      : { sql: [], params: [] };
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
  // to the optimizer, which then keeps the first of the tied indexes. When a many-valued column is filtered by
  // equality, indexes led by segment or risk level (a handful of values) are never the better range: leave them out.
  const selective = !!(filter.cities?.length || filter.branches?.length || filter.assignedManagerId);
  const hint = selective ? ` ignore index (${LOW_CARDINALITY_INDEXES.join(', ')})` : '';
  const whereSql = (extra: string[]) => {
    const all = [...where, ...extra];
    return `${all.length ? ` where ${all.join(' and ')}` : ''}`;
  };
  const direction = filter.order === 'asc' ? 'asc' : 'desc';
  const [page, count] = [driveFrom(RARE_FOR_PAGE), driveFrom(RARE_FOR_COUNT)];
  // The total is a range scan of one index; name grams and rare codes need the primary key too, so those keep the
  // optimizer's choice.
  const counted = !q && !count.sql.length ? countIndex(filter) : null;
  const countHint = counted ? ` use index (${counted})` : hint;
  return {
    pageSql: `select c.id from customer_portrait c${hint}${whereSql(page.sql)} order by ${SORT_COLUMNS[filter.sort]} ${direction}, c.id ${direction} limit ? offset ?`,
    pageParams: [...params, ...page.params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    // Counting stops past COUNT_CAP: an exact total of a huge result costs more than the page and tells staff nothing.
    countSql: `select count(*) as n from (select 1 from customer_portrait c${countHint}${whereSql(count.sql)} limit ${COUNT_CAP + 1}) counted`,
    countParams: [...params, ...count.params],
  };
}
