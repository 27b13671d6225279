import { Module } from '@nestjs/common';
import { PortraitStorageModule } from '../portraits/portrait-storage.module';
import { ReferenceModule } from '../reference/reference.module';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';

/** Tag and need rules, and deriving every customer from them. */
@Module({
  imports: [ReferenceModule, PortraitStorageModule],
  controllers: [RulesController],
  providers: [RulesService],
  exports: [RulesService],
})
export class RulesModule {}
