import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';
import { featureVector } from '@relationship/match-learning';
import { scorePair } from '@relationship/match-scoring';
import { SnapshotStore } from '../read-models/snapshot-store';

export interface FeedbackInput {
  customerId: string;
  managerId: string;
  accepted?: boolean | null;
  /** 1–5. */
  satisfaction?: number | null;
  retained?: boolean | null;
  /** AUM growth of the customer since the assignment, as a fraction (0.12 = +12 %). */
  aumGrowth?: number | null;
  source: 'proposal' | 'survey' | 'crm' | 'import';
}

/**
 * Outcome feedback on a (customer, manager) pair, stored with the pair's factor values as they were when the
 * outcome was observed, so a model trains on what matching knew rather than on today's profile.
 */
@Injectable()
export class FeedbackStore {
  constructor(private readonly store: SnapshotStore) {}

  async record(em: EntityManager, input: FeedbackInput): Promise<'recorded' | 'unknown-pair'> {
    const customer = await this.store.customer(em, input.customerId);
    const manager = await this.store.manager(em, input.managerId);
    if (!customer || !manager) return 'unknown-pair';
    const features = featureVector(customer, manager.snapshot, manager.load);
    const rule = scorePair(customer, manager.snapshot, { assigned: Math.max(0, Math.min(manager.load.assigned, manager.snapshot.capacity - 1)) });
    await em.execute(
      `insert into match_feedback (customer_id, manager_id, accepted, satisfaction, retained, aum_growth, features, source, recorded_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        input.customerId,
        input.managerId,
        input.accepted === undefined || input.accepted === null ? null : input.accepted ? 1 : 0,
        input.satisfaction ?? null,
        input.retained === undefined || input.retained === null ? null : input.retained ? 1 : 0,
        input.aumGrowth ?? null,
        JSON.stringify({ features, ruleScore: rule.score }),
        input.source,
        new Date(),
      ],
    );
    return 'recorded';
  }
}
