import { MikroORM } from '@mikro-orm/core';
import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { systemContext } from '@relationship/service-kit';
import { Manager } from '../registry/manager.entity';
import { ManagersService } from '../registry/managers.service';
import { demoManagers } from './demo-managers';

/**
 * Seeds the demo registry through the service's own operations, so each manager emits ManagerRegistered (and the
 * leaves ManagerAvailabilityChanged) like any real change. Runs before the Kafka consumer starts, so the demo
 * accounts' UserRegistered events find their records and link them. Idempotent: existing employee numbers or
 * emails are skipped, and leave is applied only to managers created in this run.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly managers: ManagersService,
  ) {}

  async seed(): Promise<number> {
    const demo = demoManagers();
    const em = this.orm.em.fork();
    const present = await em.find(
      Manager,
      { $or: [{ employeeNo: { $in: demo.map((d) => d.fields.employeeNo) } }, { email: { $in: demo.map((d) => d.fields.email as string) } }] },
      { fields: ['employeeNo', 'email'] },
    );
    const taken = new Set(present.flatMap((m) => [m.employeeNo, m.email]).filter(Boolean));
    const context = systemContext('demo-seed');
    const created = new Map<string, string>();
    for (const d of demo) {
      if (taken.has(d.fields.employeeNo) || taken.has(d.fields.email)) continue;
      try {
        created.set(d.fields.employeeNo, (await this.managers.create(d.fields, context)).id);
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error; // another replica seeded it a moment ago
      }
    }
    const ids = new Map((await em.find(Manager, {}, { fields: ['id', 'employeeNo'] })).map((m) => [m.employeeNo, m.id]));
    for (const d of demo) {
      const id = created.get(d.fields.employeeNo);
      if (!id) continue;
      if (d.leave) {
        const cover = d.leave.coverEmployeeNo ? (ids.get(d.leave.coverEmployeeNo) ?? null) : null;
        await this.managers.changeAvailability(
          id,
          { availability: 'on_leave', leaveFrom: d.leave.leaveFrom, leaveUntil: d.leave.leaveUntil, coverManagerId: cover },
          { ...context, reason: 'demo: annual and parental leave' },
        );
      } else if (d.left) {
        await this.managers.changeAvailability(id, { availability: 'left' }, { ...context, reason: 'demo: left the bank' });
      }
    }
    this.logger.log(`demo seed: ${created.size} manager(s) created, ${demo.length - created.size} already present`);
    return created.size;
  }
}
