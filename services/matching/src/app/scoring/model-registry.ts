import { MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { loadModel, type LearnedModel } from '@relationship/match-learning';
import { forkEm } from '@relationship/persistence';

const REFRESH_MS = 10_000;

/**
 * The active learned model (or none: rule weights alone). Read from the database and re-read every few seconds,
 * so a model trained by a worker replica reaches every API replica without a restart.
 */
@Injectable()
export class ModelRegistry {
  private readonly logger = new Logger(ModelRegistry.name);
  private model: LearnedModel | null = null;
  private loadedAt = 0;
  private loading: Promise<unknown> | null = null;

  constructor(private readonly orm: MikroORM) {}

  /** The cached model; refreshes in the background when old, never blocks scoring. */
  current(): LearnedModel | null {
    if (Date.now() - this.loadedAt > REFRESH_MS && !this.loading) {
      this.loading = this.refresh().finally(() => (this.loading = null));
    }
    return this.model;
  }

  async refresh(): Promise<LearnedModel | null> {
    try {
      const em = forkEm(this.orm);
      const [row] = await em.execute<{ model: string | object }[]>('select model from match_model where active = 1 order by created_at desc limit 1');
      this.model = row ? loadModel(typeof row.model === 'string' ? JSON.parse(row.model) : row.model) : null;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not load the active model; keeping the one held');
    }
    this.loadedAt = Date.now();
    return this.model;
  }
}
