import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import type { BatchOutcome } from '@relationship/messaging';
import { METRICS_REGISTRY } from '@relationship/observability';
import { Counter, Gauge, type Registry } from 'prom-client';
import { forkEm } from '@relationship/persistence';
import { coefficientOfVariation, gini } from './figures/fairness';

/**
 * What operators and the business dashboards read from analytics: how the feed fares (messages by outcome, lag,
 * replay progress) and the headline figures, read from the read models when Prometheus scrapes.
 */
@Injectable()
export class AnalyticsMetrics {
  private readonly consumed: Counter<'topic' | 'outcome'>;
  private readonly applied: Counter<'type'>;
  private lagSource: () => Record<string, number> | null = () => null;
  private replaySource: () => { state: string; progress: number } = () => ({ state: 'idle', progress: 0 });

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly orm: MikroORM,
  ) {
    this.consumed = new Counter({
      name: 'analytics_messages_consumed_total',
      help: 'Kafka messages handled by the analytics feed, by topic and outcome (processed, duplicate, dead-lettered)',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    });
    this.applied = new Counter({
      name: 'analytics_events_applied_total',
      help: 'Events applied to the read models, by event type',
      labelNames: ['type'],
      registers: [registry],
    });
    const lag = () => this.lagSource();
    new Gauge({
      name: 'analytics_consumer_lag_messages',
      help: 'Messages on each topic not yet handled by the analytics feed (end offset minus its position)',
      labelNames: ['topic'],
      registers: [registry],
      collect() {
        for (const [topic, behind] of Object.entries(lag() ?? {})) this.set({ topic }, behind);
      },
    });
    const replay = () => this.replaySource();
    new Gauge({
      name: 'analytics_replay_progress_ratio',
      help: 'Progress of the running (or last) replay of the read models, 0 to 1',
      registers: [registry],
      collect() {
        this.set(replay().progress);
      },
    });
    new Gauge({
      name: 'analytics_replay_running',
      help: '1 while a replay of the read models runs',
      registers: [registry],
      collect() {
        this.set(replay().state === 'running' ? 1 : 0);
      },
    });
    const sql = <T>(query: string) => forkEm(this.orm).execute<T[]>(query);
    new Gauge({
      name: 'analytics_customers',
      help: 'Current customers by segment (profiles events)',
      labelNames: ['segment'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await sql<{ value: string; n: string }>("select value, sum(customers) n from distribution_count where dimension = 'segment' group by value")) {
          this.set({ segment: r.value }, Number(r.n));
        }
      },
    });
    new Gauge({
      name: 'analytics_customers_unassigned',
      help: 'Current customers without a manager',
      registers: [registry],
      async collect() {
        const [r] = await sql<{ n: string }>('select count(*) n from customer_state where manager_id is null and profile_version > 0');
        this.set(Number(r?.n ?? 0));
      },
    });
    new Gauge({
      name: 'analytics_proposals_pending',
      help: 'Proposals awaiting the manager’s answer',
      registers: [registry],
      async collect() {
        const [r] = await sql<{ n: string }>("select count(*) n from proposal_state where outcome = 'pending'");
        this.set(Number(r?.n ?? 0));
      },
    });
    new Gauge({
      name: 'analytics_load_fairness',
      help: "Inequality of active managers' loads across the bank: gini and cv (coefficient of variation)",
      labelNames: ['measure'],
      registers: [registry],
      async collect() {
        const loads = (await sql<{ book_size: number }>("select book_size from manager_state where availability = 'active'")).map((r) => Number(r.book_size));
        this.set({ measure: 'gini' }, gini(loads) ?? 0);
        this.set({ measure: 'cv' }, coefficientOfVariation(loads) ?? 0);
      },
    });
  }

  /** Where the lag and replay gauges read from (the live hub and the replay service, set once they exist). */
  observe(lag: () => Record<string, number> | null, replay: () => { state: string; progress: number }): void {
    this.lagSource = lag;
    this.replaySource = replay;
  }

  batch(topic: string, outcome: BatchOutcome): void {
    if (outcome.processed.length) this.consumed.inc({ topic, outcome: 'processed' }, outcome.processed.length);
    if (outcome.duplicates) this.consumed.inc({ topic, outcome: 'duplicate' }, outcome.duplicates);
    if (outcome.deadLettered) this.consumed.inc({ topic, outcome: 'dead-lettered' }, outcome.deadLettered);
    for (const envelope of outcome.processed) this.applied.inc({ type: envelope.type });
  }
}
