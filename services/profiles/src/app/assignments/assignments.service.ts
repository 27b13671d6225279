import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable, Logger } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import type { AssignmentChangedPayload } from '@relationship/contracts';
import { ENTITY_TYPE } from '../portraits/portrait-writer';

export type AssignmentOutcome = 'applied' | 'stale' | 'unknown-customer';

/**
 * Keeps the read model of matching's current assignment on the portrait. Matching owns assignments: this is
 * not a portrait change (no version bump, no ProfileUpdated, which would only echo back to matching).
 */
@Injectable()
export class AssignmentsService {
  private readonly logger = new Logger(AssignmentsService.name);

  async apply(em: EntityManager, event: AssignmentChangedPayload, correlationId: string | null): Promise<AssignmentOutcome> {
    // Guarded update: only a newer assignment version wins, however the events arrive.
    const result = await em.execute<{ affectedRows: number }>(
      'update customer_portrait set assigned_manager_id = ?, assignment_version = ? where id = ? and assignment_version < ?',
      [event.managerId, event.assignmentVersion, event.customerId, event.assignmentVersion],
      'run',
    );
    if (result.affectedRows === 1) {
      recordAudit(em, {
        actor: { id: 'matching', role: 'system' },
        action: 'portrait.assignment_synced',
        entityType: ENTITY_TYPE,
        entityId: event.customerId,
        before: { assignedManagerId: event.previousManagerId },
        after: { assignedManagerId: event.managerId, assignmentVersion: event.assignmentVersion, reason: event.reason },
        requestId: correlationId,
      });
      return 'applied';
    }
    const [row] = await em.execute<{ assignment_version: number }[]>('select assignment_version from customer_portrait where id = ?', [event.customerId]);
    if (row) {
      this.logger.log({ customerId: event.customerId, held: row.assignment_version, got: event.assignmentVersion }, 'ignoring stale AssignmentChanged');
      return 'stale';
    }
    // Matching only assigns customers it learned of from our events, so this is a replay into a fresh database.
    this.logger.warn({ customerId: event.customerId }, 'AssignmentChanged for an unknown customer; ignored');
    return 'unknown-customer';
  }
}
