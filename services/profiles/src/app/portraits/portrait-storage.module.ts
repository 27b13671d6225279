import { Module } from '@nestjs/common';
import { PortraitStore } from './portrait-store';
import { PortraitWriter } from './portrait-writer';
import { TagBits } from './tag-bits';

/**
 * Reading and writing portrait rows (with their tags, needs and events), shared by every feature that changes
 * customers: portraits, rules, import/export and search. Kept apart from PortraitsModule, which needs rules.
 */
@Module({
  providers: [TagBits, PortraitStore, PortraitWriter],
  exports: [TagBits, PortraitStore, PortraitWriter],
})
export class PortraitStorageModule {}
