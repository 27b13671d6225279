import { MikroORM } from '@mikro-orm/core';
import { ForbiddenException, Injectable } from '@nestjs/common';
import type { Page } from '@relationship/service-kit';
import { forkEm } from '@relationship/persistence';
import type { Viewer } from '../domain/masking';
import { ManagerAccountsService } from '../manager-accounts/manager-accounts.service';
import type { Portrait } from '../domain/portrait';
import { PortraitStore } from '../portraits/portrait-store';
import { TagBits } from '../portraits/tag-bits';
import { ValueHolders } from './value-holders';
import type { SearchQueryDto } from './dto/search-query.dto';
import { buildSearchSql, COUNT_CAP, type SearchFilter } from './search-query';

/** A page whose total counts matches up to COUNT_CAP. */
export interface PortraitPage extends Page<Portrait> {
  /** False when there are more than COUNT_CAP matches (total is then COUNT_CAP). */
  totalExact: boolean;
}

@Injectable()
export class SearchService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: PortraitStore,
    private readonly tagBits: TagBits,
    private readonly holders: ValueHolders,
    private readonly managerAccounts: ManagerAccountsService,
  ) {}

  /**
   * The filter a viewer may run: a manager only ever searches their own book, named by `managerId` (their registry id,
   * resolved from their login); null when their account is not linked yet, and then there is nothing to search.
   */
  filterFor(query: SearchQueryDto, viewer: Viewer, managerId: string | null = null): SearchFilter | null {
    const filter: SearchFilter = {
      q: query.q,
      tags: query.tag,
      needs: query.need,
      segments: query.segment,
      riskLevels: query.riskLevel,
      branches: query.branch,
      cities: query.city,
      aumMin: query.aumMin,
      aumMax: query.aumMax,
      assignedManagerId: query.assignedManagerId,
      unassigned: query.unassigned,
      sort: query.sort,
      order: query.order,
      page: query.page,
      pageSize: query.pageSize,
    };
    if (viewer.role === 'manager') {
      if (query.assignedManagerId && query.assignedManagerId !== managerId) throw new ForbiddenException('assignedManagerId: a manager sees only their own book');
      if (query.unassigned) throw new ForbiddenException('unassigned: a manager sees only their own book');
      if (!managerId) return null;
      filter.assignedManagerId = managerId;
    }
    return filter;
  }

  async search(query: SearchQueryDto, viewer: Viewer): Promise<PortraitPage> {
    const managerId = viewer.role === 'manager' ? await this.managerAccounts.managerIdOf(viewer.id) : null;
    const filter = this.filterFor(query, viewer, managerId);
    // A manager whose login is not linked to a registry record yet has an empty book.
    if (!filter) return { items: [], total: 0, totalExact: true, page: query.page, pageSize: query.pageSize };
    const fork = () => forkEm(this.orm);
    if (filter.tags?.length || filter.needs?.length) {
      [filter.tagBits, filter.holders] = await Promise.all([
        this.tagBits.bitsFor(fork(), filter.tags ?? []),
        this.holders.of(fork, filter.needs ?? [], filter.tags ?? []),
      ]);
    }
    const sql = buildSearchSql(filter);
    // The total runs beside the page and the loading of its portraits, each on its own pooled connection.
    const counting = fork().execute<{ n: number | string }[]>(sql.countSql, sql.countParams);
    const items = fork()
      .execute<{ id: string }[]>(sql.pageSql, sql.pageParams)
      .then((ids) => this.store.loadMany(fork, ids.map((r) => r.id)));
    const [count, portraits] = await Promise.all([counting, items]);
    const matches = Number(count[0]?.n ?? 0);
    return {
      items: portraits,
      total: Math.min(matches, COUNT_CAP),
      totalExact: matches <= COUNT_CAP,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}
