import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Branch } from './branch.entity';

/** Branch reference data, read once per process: it only changes with a migration. */
@Injectable()
export class BranchesService {
  private cache?: Promise<Map<string, Branch>>;

  constructor(private readonly orm: MikroORM) {}

  async all(): Promise<Branch[]> {
    return [...(await this.load()).values()];
  }

  async find(id: string): Promise<Branch | undefined> {
    return (await this.load()).get(id);
  }

  /** The branch's display name, for views. */
  async nameOf(id: string): Promise<string | null> {
    return (await this.find(id))?.name ?? null;
  }

  private load(): Promise<Map<string, Branch>> {
    this.cache ??= this.orm.em
      .fork()
      .find(Branch, {}, { orderBy: { id: 'asc' } })
      .then((rows) => new Map(rows.map((b) => [b.id, b])))
      .catch((error: unknown) => {
        this.cache = undefined;
        throw error;
      });
    return this.cache;
  }
}
