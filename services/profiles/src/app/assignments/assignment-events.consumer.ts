import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { AssignmentChanged, isEventOf, Topic } from '@relationship/contracts';
import { IdempotentConsumer } from '@relationship/messaging';
import { AssignmentsService } from './assignments.service';

/** matching.assignment.v1 → the assignedManagerId read model (which powers the manager-book access rule). */
@Controller()
export class AssignmentEventsConsumer {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly assignments: AssignmentsService,
  ) {}

  @EventPattern(Topic.MatchingAssignment)
  async onAssignmentEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consumeContext(
      context,
      async (envelope, em) => {
        if (isEventOf(envelope, AssignmentChanged)) await this.assignments.apply(em, envelope.payload, envelope.correlationId);
      },
    );
  }
}
