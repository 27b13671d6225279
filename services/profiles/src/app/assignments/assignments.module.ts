import { Module } from '@nestjs/common';
import { AssignmentEventsConsumer } from './assignment-events.consumer';
import { AssignmentsService } from './assignments.service';

/** matching's assignments, kept on the portrait as a read model. */
@Module({
  controllers: [AssignmentEventsConsumer],
  providers: [AssignmentsService],
})
export class AssignmentsModule {}
