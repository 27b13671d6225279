import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { RegistryModule } from '../registry/registry.module';
import { ManagersCsvController } from './managers-csv.controller';
import { ManagersCsvService } from './managers-csv.service';

/** Manager CSV import and export. */
@Module({
  imports: [RegistryModule, BranchesModule],
  controllers: [ManagersCsvController],
  providers: [ManagersCsvService],
})
export class ManagersCsvModule {}
