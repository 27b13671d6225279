import { Module } from '@nestjs/common';
import { ManagerAccountsModule } from '../manager-accounts/manager-accounts.module';
import { PortraitStorageModule } from '../portraits/portrait-storage.module';
import { SearchService } from './search.service';
import { ValueHolders } from './value-holders';

/** Portrait search (served by the portraits controller's list), masked per role. */
@Module({
  imports: [PortraitStorageModule, ManagerAccountsModule],
  providers: [SearchService, ValueHolders],
  exports: [SearchService],
})
export class SearchModule {}
