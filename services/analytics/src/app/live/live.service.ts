import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { KAFKA_ADMIN } from '@relationship/messaging';
import type { Admin } from 'kafkajs';
import { AnalyticsMetrics } from '../analytics-metrics';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from '../config';
import { EventFeed, type AppliedEvent } from '../feed/event-feed';
import { ReplayService, type ReplayStatus } from '../feed/replay.service';
import { ServiceProbe, type LatencyPercentiles, type ServiceHealth } from './service-probe';

/** One message of the live stream. */
export interface LiveMessage {
  id: number;
  at: string;
  intervalMs: number;
  /** Events applied in the last interval, per second, by type. */
  eventsPerSecond: Record<string, number>;
  /** Events applied since the service started, by type. */
  totals: Record<string, number>;
  /** The latest events of the interval (at most 20): type, id and when they occurred, for latency checks. */
  recent: Array<{ type: string; id: string; occurredAt: string }>;
  /** Bank-wide only (null in a manager's stream). */
  replay: ReplayStatus | null;
  consumerLag: Record<string, number> | null;
  lastRun: { runId: string; mode: string; moved: number; completedAt: string } | null;
  /** Readiness of the configured services (LIVE_SERVICES), bank-wide only. */
  services: ServiceHealth[] | null;
  /** matching's incremental-rematch latency over the last probe interval, bank-wide only. */
  rematchLatencySeconds: LatencyPercentiles | null;
}

type Subscriber = { managerId: string | null; send: (message: LiveMessage) => void };

interface Window {
  counts: Map<string, number>;
  recent: Array<{ type: string; id: string; occurredAt: string }>;
}

const RECENT_LIMIT = 20;

/** The managers an event concerns (a manager's stream carries only these). */
function managersOf(event: AppliedEvent): string[] {
  const p = event.envelope.payload as { managerId?: unknown; previousManagerId?: unknown };
  return [p.managerId, p.previousManagerId].filter((v): v is string => typeof v === 'string');
}

/**
 * Counts what the event feed applies and pushes it to the live subscribers once per interval: events per second
 * by type, running totals, replay progress, consumer lag per topic and the latest rebalance run. Everything comes
 * from the events analytics consumes and its own consumer's offsets.
 */
@Injectable()
export class LiveHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveHub.name);
  private readonly subscribers = new Set<Subscriber>();
  private bank: Window = { counts: new Map(), recent: [] };
  private perManager = new Map<string, Window>();
  private readonly totals = new Map<string, number>();
  private readonly managerTotals = new Map<string, Map<string, number>>();
  private lastRun: LiveMessage['lastRun'] = null;
  private lag: Record<string, number> | null = null;
  private sequence = 0;
  private timer?: NodeJS.Timeout;
  private lagTimer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private lastTickAt = 0;

  constructor(
    private readonly feed: EventFeed,
    private readonly replay: ReplayService,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
    private readonly probe: ServiceProbe,
    metrics: AnalyticsMetrics,
  ) {
    metrics.observe(() => this.lag, () => this.replay.current());
  }

  onModuleInit(): void {
    this.sequence = Date.now();
    this.feed.onApplied((event) => this.record(event));
    // A heartbeat when nothing happens; an event is pushed as soon as the once-per-interval limit allows.
    this.timer = setInterval(() => this.maybeTick(), this.config.LIVE_INTERVAL_MS);
    this.lagTimer = setInterval(() => void this.refreshLag(), 5_000);
    this.timer.unref();
    this.lagTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    clearInterval(this.lagTimer);
    clearTimeout(this.pending);
    this.subscribers.clear();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Ids are increasing (they start at the service's start time in ms), so a reconnecting client's Last-Event-ID is simply older. */
  get lastId(): number {
    return this.sequence;
  }

  subscribe(managerId: string | null, send: (message: LiveMessage) => void): () => void {
    const subscriber = { managerId, send };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private record(event: AppliedEvent): void {
    const { type, id, occurredAt } = event.envelope;
    const add = (w: Window) => {
      w.counts.set(type, (w.counts.get(type) ?? 0) + 1);
      w.recent.push({ type, id, occurredAt });
      if (w.recent.length > RECENT_LIMIT) w.recent.shift();
    };
    add(this.bank);
    this.totals.set(type, (this.totals.get(type) ?? 0) + 1);
    for (const managerId of new Set(managersOf(event))) {
      let w = this.perManager.get(managerId);
      if (!w) this.perManager.set(managerId, (w = { counts: new Map(), recent: [] }));
      add(w);
      let t = this.managerTotals.get(managerId);
      if (!t) this.managerTotals.set(managerId, (t = new Map()));
      t.set(type, (t.get(type) ?? 0) + 1);
    }
    if (!this.pending && this.subscribers.size) {
      this.pending = setTimeout(() => this.maybeTick(), Math.max(0, this.lastTickAt + this.config.LIVE_INTERVAL_MS - Date.now()));
      this.pending.unref();
    }
    if (type === 'RebalanceCompleted') {
      const p = event.envelope.payload as { runId: string; mode: string; moved: number; completedAt: string };
      this.lastRun = { runId: p.runId, mode: p.mode, moved: p.moved, completedAt: p.completedAt };
    }
  }

  private maybeTick(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    // 5 % slack for timer jitter, so the heartbeat never skips a beat it was due
    if (Date.now() - this.lastTickAt >= this.config.LIVE_INTERVAL_MS * 0.95) this.tick();
  }

  private tick(): void {
    this.lastTickAt = Date.now();
    const bank = this.bank;
    const managers = this.perManager;
    this.bank = { counts: new Map(), recent: [] };
    this.perManager = new Map();
    if (!this.subscribers.size) return;
    this.sequence += 1;
    const seconds = this.config.LIVE_INTERVAL_MS / 1000;
    const rates = (w: Window | undefined) => Object.fromEntries([...(w?.counts ?? [])].map(([t, n]) => [t, Number((n / seconds).toFixed(2))]));
    const base = { id: this.sequence, at: new Date().toISOString(), intervalMs: this.config.LIVE_INTERVAL_MS };
    const bankMessage: LiveMessage = {
      ...base,
      eventsPerSecond: rates(bank),
      totals: Object.fromEntries(this.totals),
      recent: bank.recent,
      replay: this.replay.current(),
      consumerLag: this.lag,
      lastRun: this.lastRun,
      ...this.probe.current(),
    };
    for (const s of this.subscribers) {
      try {
        if (s.managerId === null) {
          s.send(bankMessage);
        } else {
          const w = managers.get(s.managerId);
          s.send({ ...base, eventsPerSecond: rates(w), totals: Object.fromEntries(this.managerTotals.get(s.managerId) ?? []), recent: w?.recent ?? [], replay: null, consumerLag: null, lastRun: null, services: null, rematchLatencySeconds: null });
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'live subscriber failed; dropping it');
        this.subscribers.delete(s);
      }
    }
  }

  /** Messages on each topic not yet handled by this consumer: end offsets minus the later of the group's committed offset and the feed's position. */
  private async refreshLag(): Promise<void> {
    if (!this.feed.running) return;
    try {
      const committed = new Map<string, bigint>();
      for (const t of await this.admin.fetchOffsets({ groupId: this.feed.groupId, topics: [...this.feed.topics] })) {
        for (const p of t.partitions) if (Number(p.offset) >= 0) committed.set(`${t.topic}:${p.partition}`, BigInt(p.offset));
      }
      const lag: Record<string, number> = {};
      for (const topic of this.feed.topics) {
        let behind = 0n;
        for (const p of await this.admin.fetchTopicOffsets(topic)) {
          const key = `${topic}:${p.partition}`;
          const position = this.feed.positions.get(key);
          let next = committed.get(key) ?? BigInt(p.low);
          if (position !== undefined && position + 1n > next) next = position + 1n;
          const diff = BigInt(p.high) - next;
          if (diff > 0n) behind += diff;
        }
        lag[topic] = Number(behind);
      }
      this.lag = lag;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read topic offsets for the consumer lag');
    }
  }
}
