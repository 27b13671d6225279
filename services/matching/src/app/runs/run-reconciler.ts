import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { RunRecovery } from './run-recovery';

/** Runs the stuck-run reconciliation in the worker: once at start, then every RUN_RECONCILE_INTERVAL_S. */
@Injectable()
export class RunReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly recovery: RunRecovery,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.RUN_RECONCILE_INTERVAL_S * 1000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return; // a slow pass (database or Redis down) is not stacked
    this.running = this.recovery
      .reconcile()
      .then(() => undefined)
      .catch((error) => this.logger.warn({ err: error }, 'stuck-run reconciliation failed; next pass will try again'))
      .finally(() => (this.running = undefined));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
