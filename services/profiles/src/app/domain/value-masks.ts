import type { Need } from '@relationship/contracts';

/**
 * Needs and tags, denormalised onto the portrait row as two BIGINT UNSIGNED bitmasks (`need_mask`, `tag_mask`) so a
 * need/tag filter is `mask & bits = bits`, evaluated inside the covering search indexes: neither the page nor the
 * total touches customer_need / customer_tag. The join tables stay the record (sources, rule ids); the masks are
 * rewritten in the same transaction as the rows they summarise (PortraitStore, which every write goes through).
 */

/**
 * Bit of each need. Stable forever: stored in every row, so a new need takes the next free bit, never a used one
 * (the Record type makes a need without a bit a compile error).
 */
export const NEED_BITS: Readonly<Record<Need, number>> = {
  wealth_management: 0,
  retirement: 1,
  mortgage_loans: 2,
  insurance: 3,
  education: 4,
  sme_business: 5,
  cross_border: 6,
  family_trust: 7,
  deposits: 8,
  credit_card: 9,
};

/** BIGINT UNSIGNED: bits 0–63. */
export const MASK_BITS = 64;

/** The mask of a set of bit positions, as a decimal string (exact beyond 2^53; MariaDB reads it as an unsigned integer). */
export function maskOf(bits: Iterable<number>): string {
  let mask = 0n;
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0 || bit >= MASK_BITS) throw new RangeError(`mask bit ${bit} is outside 0..${MASK_BITS - 1}`);
    mask |= 1n << BigInt(bit);
  }
  return mask.toString();
}

/** The need mask of a portrait's needs (any source). */
export function needMask(needs: readonly { code: Need }[]): string {
  return maskOf(needs.map((n) => NEED_BITS[n.code]));
}
