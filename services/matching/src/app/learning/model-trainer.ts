import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { goodOutcome, serializeModel, shouldUseModel, trainModel, type FeatureVector, type TrainingExample, type TrainResult } from '@relationship/match-learning';
import { forkEm, inTransaction } from '@relationship/persistence';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { parseJsonColumn } from '../read-models/snapshot-store';

interface FeedbackRow {
  customer_id: string;
  manager_id: string;
  accepted: number | null;
  satisfaction: number | null;
  retained: number | null;
  features: string | object;
}

/**
 * Retrains the learned component from all outcome feedback (a queued job on the worker). Outcomes of one pair
 * arrive separately (accepted when the manager answers, satisfaction and retention later) and are merged per pair;
 * a pair with no acceptance answer yet is not an example. Below the minimum the rule weights stay alone.
 */
@Injectable()
export class ModelTrainer {
  private readonly logger = new Logger(ModelTrainer.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
  ) {}

  async examples(em: EntityManager): Promise<TrainingExample[]> {
    const rows = await em.execute<FeedbackRow[]>(
      'select customer_id, manager_id, accepted, satisfaction, retained, features from match_feedback order by id',
    );
    const pairs = new Map<string, { accepted: boolean | null; satisfaction: number | null; retained: boolean | null; features: FeatureVector; ruleScore: number; key: string }>();
    for (const row of rows) {
      const key = `${row.customer_id}|${row.manager_id}`;
      const stored = parseJsonColumn<{ features: FeatureVector; ruleScore: number }>(row.features);
      const pair = pairs.get(key) ?? { accepted: null, satisfaction: null, retained: null, features: stored.features, ruleScore: stored.ruleScore, key: row.customer_id };
      if (row.accepted !== null) {
        pair.accepted = Boolean(row.accepted);
        pair.features = stored.features; // what matching knew when the manager answered
        pair.ruleScore = stored.ruleScore;
      }
      if (row.satisfaction !== null) pair.satisfaction = Number(row.satisfaction);
      if (row.retained !== null) pair.retained = Boolean(row.retained);
      pairs.set(key, pair);
    }
    return [...pairs.values()]
      .filter((p) => p.accepted !== null)
      .map((p) => ({
        features: p.features,
        ruleScore: p.ruleScore,
        key: p.key,
        label: goodOutcome({ accepted: p.accepted!, satisfaction: p.satisfaction, retained: p.retained }),
      }));
  }

  async train(requestedBy: string | null): Promise<TrainResult> {
    const examples = await this.examples(forkEm(this.orm));
    const result = trainModel(examples, {
      minSamples: this.config.LEARNING_MIN_FEEDBACK,
      alpha: this.config.LEARNING_BLEND,
      version: `lr-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomUUID().slice(0, 6)}`,
    });
    await inTransaction(this.orm, async (em) => {
      // A model that does no better than the rules on held-out feedback is kept for the record, not used.
      const activate = result.status === 'trained' && shouldUseModel(result.model);
      if (result.status === 'trained') {
        if (activate) await em.execute('update match_model set active = 0 where active = 1');
        await em.execute('insert into match_model (version, model, samples, active, created_at) values (?, ?, ?, ?, ?)', [
          result.model.version,
          serializeModel(result.model),
          result.model.trainingSize,
          activate ? 1 : 0,
          new Date(),
        ]);
      }
      recordAudit(em, {
        actor: requestedBy ? { id: requestedBy, role: 'admin' } : null,
        action: result.status === 'trained' ? 'model.trained' : 'model.training_skipped',
        entityType: 'match_model',
        entityId: result.status === 'trained' ? result.model.version : 'none',
        after: result.status === 'trained' ? { version: result.model.version, metrics: result.model.metrics } : { ...result },
      });
    });
    this.logger.log(
      result.status === 'trained' ? { version: result.model.version, metrics: result.model.metrics } : { ...result },
      result.status === 'trained' ? 'model trained and activated' : 'not enough feedback to train',
    );
    return result;
  }
}
