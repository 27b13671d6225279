import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { isEventOf, Topic, UserRegistered } from '@relationship/contracts';
import { IdempotentConsumer } from '@relationship/messaging';
import { ManagersService } from '../registry/managers.service';

/** Identity's user stream: a registered manager account is linked to its registry record (or gets a draft). */
@Controller()
export class UserEventsConsumer {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly managers: ManagersService,
  ) {}

  @EventPattern(Topic.IdentityUser)
  async onUserEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consumeContext(
      context,
      async (envelope, em) => {
        if (isEventOf(envelope, UserRegistered)) {
          await this.managers.linkRegisteredAccount(em, envelope.payload, envelope.correlationId);
        }
        // UserRoleChanged / UserDeactivated: not acted on yet (an admin changes availability in the registry).
      },
    );
  }
}
