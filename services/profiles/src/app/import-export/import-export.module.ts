import { Module } from '@nestjs/common';
import { PortraitStorageModule } from '../portraits/portrait-storage.module';
import { ReferenceModule } from '../reference/reference.module';
import { RulesModule } from '../rules/rules.module';
import { ExportService } from './export.service';
import { ImportExportController } from './import-export.controller';
import { ImportService } from './import.service';

/** Customer CSV import and export. */
@Module({
  imports: [PortraitStorageModule, RulesModule, ReferenceModule],
  controllers: [ImportExportController],
  providers: [ImportService, ExportService],
})
export class ImportExportModule {}
