import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { ManagersController } from './managers.controller';
import { ManagersService } from './managers.service';

/** The relationship-manager registry: reads, writes, capacity and availability, each change an event. */
@Module({
  imports: [BranchesModule],
  controllers: [ManagersController],
  providers: [ManagersService],
  exports: [ManagersService],
})
export class RegistryModule {}
