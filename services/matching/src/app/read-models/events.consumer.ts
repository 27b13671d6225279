import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  isEventOf,
  ManagerAvailabilityChanged,
  ManagerCapacityChanged,
  ManagerRegistered,
  ManagerUpdated,
  ProfileCreatedV2,
  ProfileUpdated,
  Topic,
} from '@relationship/contracts';
import { IdempotentConsumer } from '@relationship/messaging';
import { systemContext } from '@relationship/service-kit';
import { RematchService } from '../assignments/rematch.service';

/**
 * Keeps the customer and manager read models and rematches incrementally on every change. Each event is handled in
 * one transaction with its processed-event id (idempotent), and every resulting assignment event goes through the
 * outbox of that same transaction.
 */
@Controller()
export class SnapshotEventsConsumer {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly rematch: RematchService,
  ) {}

  @EventPattern(Topic.ProfilesCustomer)
  async onProfileEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consumeContext(context, async (envelope, em) => {
      const ctx = systemContext('profile-event', envelope.correlationId);
      if (isEventOf(envelope, ProfileCreatedV2)) {
        const { snapshot, profileVersion, origin } = envelope.payload;
        await this.rematch.onCustomerSnapshot(em, snapshot, profileVersion, ctx, origin);
      } else if (isEventOf(envelope, ProfileUpdated)) {
        await this.rematch.onCustomerSnapshot(em, envelope.payload.snapshot, envelope.payload.profileVersion, ctx);
      }
      // ProfileCreated v1 carries no snapshot: the portrait's first ProfileUpdated brings it.
    });
  }

  @EventPattern(Topic.ManagersManager)
  async onManagerEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consumeContext(context, async (envelope, em) => {
      const ctx = systemContext('manager-event', envelope.correlationId);
      if (
        isEventOf(envelope, ManagerRegistered) ||
        isEventOf(envelope, ManagerUpdated) ||
        isEventOf(envelope, ManagerCapacityChanged) ||
        isEventOf(envelope, ManagerAvailabilityChanged)
      ) {
        await this.rematch.onManagerSnapshot(em, envelope.payload.snapshot, envelope.payload.managerVersion, ctx);
      }
    });
  }
}
