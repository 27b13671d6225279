import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';
import { maskOf } from '../domain/value-masks';
import { TagDefinition } from '../reference/reference.entities';

/**
 * The tag catalogue's bit positions. Each tag definition gets the next free bit when it is created (the first 64
 * tags; later ones have none and are filtered through customer_tag instead). A bit, once given, never changes and
 * tags are never deleted, so a cached entry is always right; a code missing from the cache reloads it (another
 * replica may have created the tag since), so a write never computes a mask from a stale catalogue.
 */
@Injectable()
export class TagBits {
  private cache = new Map<string, number | null>();

  /** Bit of every given code that has one (unknown codes and tags past the 64th are absent). */
  async bitsFor(em: EntityManager, codes: Iterable<string>): Promise<Map<string, number>> {
    const wanted = [...new Set(codes)];
    if (wanted.some((code) => !this.cache.has(code))) await this.reload(em);
    const bits = new Map<string, number>();
    for (const code of wanted) {
      const bit = this.cache.get(code);
      if (bit !== undefined && bit !== null) bits.set(code, bit);
    }
    return bits;
  }

  /** The tag mask of a portrait's tags (any source). */
  async maskOf(em: EntityManager, tags: readonly { code: string }[]): Promise<string> {
    const bits = await this.bitsFor(em, tags.map((t) => t.code));
    return maskOf(bits.values());
  }

  private async reload(em: EntityManager): Promise<void> {
    const rows = await em.find(TagDefinition, {}, { fields: ['code', 'maskBit'], disableIdentityMap: true });
    this.cache = new Map(rows.map((r) => [r.code, r.maskBit ?? null]));
  }
}
