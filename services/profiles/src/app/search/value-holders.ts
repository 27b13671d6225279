import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';

/** Holder counts are this fresh at worst. */
const MAX_AGE_MS = 60_000;
/** Counting stops here: past it a code is common, whatever its exact count. */
export const HOLDERS_COUNTED = 10_000;
/** Codes remembered at most (tag codes in a query are only checked for shape). */
const MAX_ENTRIES = 1_000;

/**
 * How many value rows hold a need or tag (capped at HOLDERS_COUNTED), remembered for a minute: the search drives a
 * page or total from the value table when a code is rare (search-query RARE_FOR_PAGE / RARE_FOR_COUNT). Only a
 * plan choice depends on it, never a result, so a stale count costs speed, not correctness.
 */
@Injectable()
export class ValueHolders {
  private readonly counts = new Map<string, { holders: number; at: number }>();

  /** Keyed `need:<code>` / `tag:<code>`. */
  async of(fork: () => EntityManager, needs: readonly string[], tags: readonly string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(needs)].map((code) => ({ kind: 'need', code })).concat([...new Set(tags)].map((code) => ({ kind: 'tag', code })));
    const now = Date.now();
    const stale = wanted.filter(({ kind, code }) => (this.counts.get(`${kind}:${code}`)?.at ?? -Infinity) < now - MAX_AGE_MS);
    if (this.counts.size + stale.length > MAX_ENTRIES) this.counts.clear();
    await Promise.all(
      stale.map(async ({ kind, code }) => {
        const table = kind === 'need' ? 'customer_need' : 'customer_tag';
        const [row] = await fork().execute<{ n: number | string }[]>(
          `select count(*) as n from (select 1 from ${table} where ${kind}_code = ? limit ${HOLDERS_COUNTED}) held`,
          [code],
        );
        this.counts.set(`${kind}:${code}`, { holders: Number(row?.n ?? 0), at: now });
      }),
    );
    return new Map(wanted.flatMap(({ kind, code }) => {
      const known = this.counts.get(`${kind}:${code}`);
      return known ? [[`${kind}:${code}`, known.holders] as const] : [];
    }));
  }
}
