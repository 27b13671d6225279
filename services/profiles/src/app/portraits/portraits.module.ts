import { Module } from '@nestjs/common';
import { ManagerAccountsModule } from '../manager-accounts/manager-accounts.module';
import { ReferenceModule } from '../reference/reference.module';
import { RulesModule } from '../rules/rules.module';
import { SearchModule } from '../search/search.module';
import { PortraitStorageModule } from './portrait-storage.module';
import { PortraitsController } from './portraits.controller';
import { PortraitsService } from './portraits.service';

/** Customer portraits: a customer's own, staff reads, writes and history. */
@Module({
  imports: [PortraitStorageModule, RulesModule, ReferenceModule, ManagerAccountsModule, SearchModule],
  controllers: [PortraitsController],
  providers: [PortraitsService],
  exports: [PortraitsService],
})
export class PortraitsModule {}
