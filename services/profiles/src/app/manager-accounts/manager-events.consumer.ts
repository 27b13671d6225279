import type { EntityManager } from '@mikro-orm/mysql';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  isEventOf,
  ManagerAvailabilityChanged,
  ManagerCapacityChanged,
  ManagerRegistered,
  ManagerUpdated,
  Topic,
  type EventEnvelope,
} from '@relationship/contracts';
import { IdempotentConsumer } from '@relationship/messaging';
import { ManagerAccountsService } from './manager-accounts.service';

/** managers.manager.v1 → the manager account read model (user id ↔ manager id), which the manager-book rule reads. */
@Controller()
export class ManagerEventsConsumer {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly accounts: ManagerAccountsService,
  ) {}

  @EventPattern(Topic.ManagersManager)
  async onManagerEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consumeContext(context, (envelope, em) => this.handle(envelope, em));
  }

  /** One manager event, in the consumer's transaction (with its processed-event id). */
  async handle(envelope: EventEnvelope, em: EntityManager): Promise<void> {
    if (
      isEventOf(envelope, ManagerRegistered) ||
      isEventOf(envelope, ManagerUpdated) ||
      isEventOf(envelope, ManagerCapacityChanged) ||
      isEventOf(envelope, ManagerAvailabilityChanged)
    ) {
      const { managerId, managerVersion, snapshot } = envelope.payload;
      await this.accounts.apply(em, managerId, managerVersion, snapshot.userId);
    }
  }
}
