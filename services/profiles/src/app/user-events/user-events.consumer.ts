import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { isEventOf, Topic, UserRegistered } from '@relationship/contracts';
import { IdempotentConsumer } from '@relationship/messaging';
import { PortraitsService } from '../portraits/portraits.service';

/** Reacts to identity's user stream: a registered customer gets an empty portrait. */
@Controller()
export class UserEventsConsumer {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly portraits: PortraitsService,
  ) {}

  @EventPattern(Topic.IdentityUser)
  async onUserEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consumeContext(
      context,
      async (envelope, em) => {
        if (isEventOf(envelope, UserRegistered)) {
          await this.portraits.createForRegisteredCustomer(em, envelope.payload, envelope.correlationId);
        }
        // Other user events (role changes, deactivation) matter to portraits in later issues.
      },
    );
  }
}
