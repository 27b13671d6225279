import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { forkEm, inTransaction, isDuplicateKeyError } from '@relationship/persistence';
import type { WriteContext } from '../common/write-context';
import { MASK_BITS, maskOf } from '../domain/value-masks';
import { Branch, TagDefinition } from './reference.entities';

/** The branch list and the tag catalogue: what homeBranchId and tag codes must be one of. */
@Injectable()
export class ReferenceService {
  constructor(private readonly orm: MikroORM) {}

  private fork(): EntityManager {
    return forkEm(this.orm);
  }

  async branches(): Promise<Branch[]> {
    return this.fork().find(Branch, {}, { orderBy: { id: 'asc' } });
  }

  async tags(): Promise<TagDefinition[]> {
    return this.fork().find(TagDefinition, {}, { orderBy: { code: 'asc' } });
  }

  async branchIds(em: EntityManager = this.fork()): Promise<Set<string>> {
    return new Set((await em.find(Branch, {}, { fields: ['id'] })).map((b) => b.id));
  }

  async tagCodes(em: EntityManager = this.fork()): Promise<Set<string>> {
    return new Set((await em.find(TagDefinition, {}, { fields: ['code'] })).map((t) => t.code));
  }

  /** 400 naming the field when a branch or tag is not in the catalogue. */
  async assertKnown(em: EntityManager, refs: { homeBranchId?: string | null; tags?: readonly string[]; field?: { branch: string; tags: string } }): Promise<void> {
    const fields = refs.field ?? { branch: 'homeBranchId', tags: 'tags' };
    if (refs.homeBranchId) {
      if (!(await em.count(Branch, { id: refs.homeBranchId }))) {
        throw new BadRequestException(`${fields.branch} "${refs.homeBranchId}" is not a known branch`);
      }
    }
    if (refs.tags?.length) {
      const known = new Set((await em.find(TagDefinition, { code: { $in: [...refs.tags] } }, { fields: ['code'] })).map((t) => t.code));
      const unknown = refs.tags.filter((t) => !known.has(t));
      if (unknown.length) throw new BadRequestException(`${fields.tags} contains unknown tag ${unknown.map((t) => `"${t}"`).join(', ')}`);
    }
  }

  /**
   * A new catalogue tag with the next free bit of customer_portrait.tag_mask (none past the 64th tag). Reading the
   * highest bit `for update` locks the end of the bit index (next-key lock), so concurrent creations queue instead of sharing a bit.
   */
  async createTag(input: { code: string; labelZh: string; labelEn: string; description?: string | null }, context: WriteContext): Promise<TagDefinition> {
    try {
      return await inTransaction(this.orm, async (tx) => {
        const [last] = await tx.execute<{ bit: number | string }[]>(
          'select `mask_bit` as `bit` from `tag_definition` where `mask_bit` is not null order by `mask_bit` desc limit 1 for update',
        );
        const next = last ? Number(last.bit) + 1 : 0;
        const maskBit = next < MASK_BITS ? next : null;
        const tag = tx.create(TagDefinition, { ...input, description: input.description ?? null, maskBit, createdAt: new Date() });
        recordAudit(tx, { actor: context.actor, action: 'tag.created', entityType: 'tag_definition', entityId: input.code, after: { ...input }, requestId: context.requestId });
        await tx.persist(tag).flush();
        // Catalogue checks keep unknown codes off portraits, but a row written before the tag existed (older data)
        // must not hide from a search by the new bit.
        if (maskBit !== null) {
          await tx.execute(
            'update `customer_portrait` c join `customer_tag` t on t.`customer_id` = c.`id` and t.`tag_code` = ? set c.`tag_mask` = c.`tag_mask` | ?',
            [input.code, maskOf([maskBit])],
          );
        }
        return tag;
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(`tag ${input.code} already exists`);
      throw error;
    }
  }
}
