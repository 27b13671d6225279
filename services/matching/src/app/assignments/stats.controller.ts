import { MikroORM } from '@mikro-orm/core';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@relationship/auth';
import { forkEm } from '@relationship/persistence';

export interface MatchingStats {
  customers: { known: number; assigned: number; unassigned: number; proposed: number; accepted: number; pinned: number };
  managers: { known: number; active: number; capacity: number; assigned: number; utilisation: number };
  pendingAdjustments: number;
  activeRuns: number;
}

/** One glance at matching's state: what an operator checks after an import or before a rebalance. */
@ApiTags('matching')
@Controller('matching/stats')
export class StatsController {
  constructor(private readonly orm: MikroORM) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Customers known/assigned/waiting, managers and capacity used, pending adjustments, active runs' })
  async stats(): Promise<MatchingStats> {
    const em = forkEm(this.orm);
    const [c] = await em.execute<Record<string, string | number | null>[]>(
      `select count(*) as known, sum(manager_id is not null) as assigned, sum(state = 'proposed') as proposed,
         sum(state = 'accepted') as accepted, sum(pinned = 1) as pinned from assignment`,
    );
    const [m] = await em.execute<Record<string, string | number | null>[]>(
      `select count(*) as known, sum(s.availability = 'active') as active, sum(case when s.availability = 'active' then l.capacity else 0 end) as capacity,
         sum(l.assigned) as assigned from manager_snapshot s join manager_load l on l.manager_id = s.manager_id`,
    );
    const [a] = await em.execute<{ n: number }[]>("select count(*) as n from adjustment_request where status = 'pending'");
    const [r] = await em.execute<{ n: number }[]>("select count(*) as n from rebalance_run where status in ('queued', 'planning', 'applying')");
    const n = (v: string | number | null | undefined) => Number(v ?? 0);
    return {
      customers: { known: n(c['known']), assigned: n(c['assigned']), unassigned: n(c['known']) - n(c['assigned']), proposed: n(c['proposed']), accepted: n(c['accepted']), pinned: n(c['pinned']) },
      managers: {
        known: n(m['known']),
        active: n(m['active']),
        capacity: n(m['capacity']),
        assigned: n(m['assigned']),
        utilisation: n(m['capacity']) ? Math.round((n(m['assigned']) / n(m['capacity'])) * 10_000) / 10_000 : 0,
      },
      pendingAdjustments: n(a.n),
      activeRuns: n(r.n),
    };
  }
}
