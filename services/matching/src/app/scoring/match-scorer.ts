import { Inject, Injectable } from '@nestjs/common';
import type { CustomerMatchSnapshot, ManagerMatchSnapshot, MatchExplanation } from '@relationship/contracts';
import { blendedScore } from '@relationship/match-learning';
import type { ExclusionReason, ManagerLoad } from '@relationship/match-scoring';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { ModelRegistry } from './model-registry';

export type PairVerdict =
  | { eligible: true; score: number; explanation: MatchExplanation }
  | { eligible: false; score: null; exclusions: ExclusionReason[] };

/**
 * The one place a (customer, manager) pair is scored, so the score shown in the API, the one the solver maximises
 * and the one published in events are the same number with the same explanation: the rule score, blended with the
 * active learned model once there is one.
 */
@Injectable()
export class MatchScorer {
  constructor(
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly models: ModelRegistry,
  ) {}

  verdict(customer: CustomerMatchSnapshot, manager: ManagerMatchSnapshot, load: ManagerLoad): PairVerdict {
    const scored = blendedScore(customer, manager, load, this.models.current(), { alpha: this.config.LEARNING_BLEND });
    if (!scored.eligible) return { eligible: false, score: null, exclusions: scored.exclusions };
    const { eligible: _eligible, ...explanation } = scored;
    return { eligible: true, score: scored.score, explanation };
  }

  /**
   * A scorer bound to the model active now, so that one rebalance scores every pair the same way even if a new model
   * is activated meanwhile. `rulesOnly`: no learned model takes part (the compiled rule scorer gives the same numbers).
   */
  frozen(): { rulesOnly: boolean; score: (customer: CustomerMatchSnapshot, manager: ManagerMatchSnapshot, load: ManagerLoad) => number } {
    const alpha = this.config.LEARNING_BLEND;
    const model = alpha === 0 ? null : this.models.current();
    return {
      rulesOnly: model === null,
      score: (customer, manager, load) => {
        const scored = blendedScore(customer, manager, load, model, { alpha });
        return scored.eligible ? scored.score : Number.NaN;
      },
    };
  }

  /** The score alone (NaN when excluded), for scoring many pairs. */
  score(customer: CustomerMatchSnapshot, manager: ManagerMatchSnapshot, load: ManagerLoad): number {
    const scored = blendedScore(customer, manager, load, this.models.current(), { alpha: this.config.LEARNING_BLEND });
    return scored.eligible ? scored.score : Number.NaN;
  }
}
