import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { DemoSeedService } from './demo-seed.service';

/** The demo managers, seeded at start-up in demo mode (managers-app.ts). */
@Module({
  imports: [RegistryModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoModule {}
