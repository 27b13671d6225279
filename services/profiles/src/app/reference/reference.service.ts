import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { isDuplicateKeyError } from '@relationship/persistence';
import type { WriteContext } from '../common/write-context';
import { Branch, TagDefinition } from './reference.entities';

/** The branch list and the tag catalogue: what homeBranchId and tag codes must be one of. */
@Injectable()
export class ReferenceService {
  constructor(private readonly orm: MikroORM) {}

  private fork(): EntityManager {
    return this.orm.em.fork() as EntityManager;
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

  async createTag(input: { code: string; labelZh: string; labelEn: string; description?: string | null }, context: WriteContext): Promise<TagDefinition> {
    const em = this.fork();
    const tag = em.create(TagDefinition, { ...input, description: input.description ?? null, createdAt: new Date() });
    recordAudit(em, { actor: context.actor, action: 'tag.created', entityType: 'tag_definition', entityId: input.code, after: { ...input }, requestId: context.requestId });
    try {
      await em.persist(tag).flush();
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(`tag ${input.code} already exists`);
      throw error;
    }
    return tag;
  }
}
