import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { UserEventsConsumer } from './user-events.consumer';

/** identity's UserRegistered → links a manager login to its registry record. */
@Module({
  imports: [RegistryModule],
  controllers: [UserEventsConsumer],
})
export class UserEventsModule {}
