import { Module } from '@nestjs/common';
import { BranchesService } from './branches.service';

/** The branches a manager belongs to (seeded by migration), checked by the registry and the import. */
@Module({
  providers: [BranchesService],
  exports: [BranchesService],
})
export class BranchesModule {}
