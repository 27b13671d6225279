import { Module } from '@nestjs/common';
import { ManagerAccountsService } from './manager-accounts.service';
import { ManagerEventsConsumer } from './manager-events.consumer';

/** Which login belongs to which registry manager, kept from the managers' events (the manager-book access rule). */
@Module({
  controllers: [ManagerEventsConsumer],
  providers: [ManagerAccountsService],
  exports: [ManagerAccountsService],
})
export class ManagerAccountsModule {}
