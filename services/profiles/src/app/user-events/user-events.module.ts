import { Module } from '@nestjs/common';
import { PortraitsModule } from '../portraits/portraits.module';
import { UserEventsConsumer } from './user-events.consumer';

/** identity's UserRegistered → a customer's first portrait. */
@Module({
  imports: [PortraitsModule],
  controllers: [UserEventsConsumer],
})
export class UserEventsModule {}
