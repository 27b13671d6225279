import type { Sort } from '@angular/material/sort';

/** The filters of GET /api/profiles that the book offers. */
export interface BookFilters {
  q: string;
  segment: string[];
  riskLevel: string[];
  need: string[];
  tag: string[];
  city: string;
  aumMin: number | null;
  aumMax: number | null;
}

export const NO_FILTERS: BookFilters = {
  q: '',
  segment: [],
  riskLevel: [],
  need: [],
  tag: [],
  city: '',
  aumMin: null,
  aumMax: null,
};

/** The query of one page of the book: empty filters left out, lists as repeated parameters. */
export function bookQuery(
  filters: BookFilters,
  page: { index: number; size: number },
  sort: Sort,
): Record<string, string | number | string[]> {
  const params: Record<string, string | number | string[]> = {
    page: page.index + 1,
    pageSize: page.size,
  };
  if (filters.q.trim()) params['q'] = filters.q.trim();
  if (filters.city.trim()) params['city'] = [filters.city.trim()];
  for (const key of ['segment', 'riskLevel', 'need', 'tag'] as const)
    if (filters[key].length) params[key] = filters[key];
  if (filters.aumMin !== null) params['aumMin'] = filters.aumMin;
  if (filters.aumMax !== null) params['aumMax'] = filters.aumMax;
  if (sort.direction) {
    params['sort'] = sort.active;
    params['order'] = sort.direction;
  }
  return params;
}

