import { MikroORM } from '@mikro-orm/core';
import { ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { KAFKA_ADMIN } from '@relationship/messaging';
import type { Admin } from 'kafkajs';
import { forkEm } from '@relationship/persistence';
import { READ_MODEL_TABLES } from '../read-models/entities';
import { EventFeed } from './event-feed';

export interface ReplayStatus {
  state: 'idle' | 'running' | 'completed' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  /** Messages on the topics when the replay started: the replay is done once it has handled all of them. */
  eventsTotal: number;
  eventsDone: number;
  /** 0–1 */
  progress: number;
  eventsPerSecond: number | null;
  error: string | null;
}

interface PartitionTarget {
  key: string;
  low: bigint;
  high: bigint;
}

/**
 * Rebuilds the read models from scratch: stops the feed, empties the read models and the processed-event ids and
 * moves to the next consumer-group generation in one transaction, then starts the feed in that new group, which
 * reads every topic from its beginning. Progress is measured against the topics' end offsets taken when it started;
 * the feed carries on with live events after that. One replica runs it (others keep their generation until restarted).
 */
@Injectable()
export class ReplayService {
  private readonly logger = new Logger(ReplayService.name);
  private status: ReplayStatus = { state: 'idle', startedAt: null, finishedAt: null, eventsTotal: 0, eventsDone: 0, progress: 0, eventsPerSecond: null, error: null };
  private targets: PartitionTarget[] = [];
  private startedMs = 0;
  private done?: Promise<void>;
  private resolveDone?: () => void;

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: EventFeed,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
  ) {
  }

  current(): ReplayStatus {
    if (this.status.state === 'running') this.refresh();
    return { ...this.status };
  }

  /** Starts a replay (409 while one runs); resolves once the read models are empty and the feed is rewound. */
  async start(): Promise<ReplayStatus> {
    if (this.status.state === 'running') throw new ConflictException('a replay is already running');
    this.status = { state: 'running', startedAt: new Date().toISOString(), finishedAt: null, eventsTotal: 0, eventsDone: 0, progress: 0, eventsPerSecond: null, error: null };
    this.startedMs = Date.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    try {
      const previousGroup = this.feed.groupId;
      await this.feed.stop();
      const em = forkEm(this.orm);
      await em.transactional(async (tx) => {
        for (const table of READ_MODEL_TABLES) await tx.execute(`delete from \`${table}\``, [], 'run');
        await tx.execute('delete from processed_event where consumer = ?', [this.feed.dedupeScope], 'run');
        await tx.execute('update feed_state set generation = generation + 1 where id = 1', [], 'run');
      });
      this.targets = [];
      for (const topic of this.feed.topics) {
        for (const p of await this.admin.fetchTopicOffsets(topic)) {
          this.targets.push({ key: `${topic}:${p.partition}`, low: BigInt(p.low), high: BigInt(p.high) });
        }
      }
      this.status.eventsTotal = Number(this.targets.reduce((sum, t) => sum + (t.high - t.low), 0n));
      this.logger.log({ eventsTotal: this.status.eventsTotal }, 'replay started');
      await this.feed.start();
      // The old generation's committed offsets are of no further use.
      await this.admin.deleteGroups([previousGroup]).catch((error: Error) => this.logger.warn({ err: error, group: previousGroup }, 'could not delete the previous consumer group'));
      this.poll();
    } catch (error) {
      this.fail(error);
      // The feed must keep running even when a replay could not start.
      await this.feed.start().catch(() => undefined);
    }
    return this.current();
  }

  /** Resolves when the running replay (if any) has finished. */
  async finished(): Promise<ReplayStatus> {
    if (this.status.state === 'running' && this.done) await this.done;
    return this.current();
  }

  private poll(): void {
    const timer = setInterval(() => {
      if (this.status.state !== 'running') return clearInterval(timer);
      this.refresh();
      if (this.status.eventsDone >= this.status.eventsTotal) {
        clearInterval(timer);
        const seconds = (Date.now() - this.startedMs) / 1000;
        this.status = { ...this.status, state: 'completed', finishedAt: new Date().toISOString(), progress: 1, eventsPerSecond: seconds > 0 ? Math.round(this.status.eventsTotal / seconds) : null };
        this.logger.log({ events: this.status.eventsTotal, seconds, eventsPerSecond: this.status.eventsPerSecond }, 'replay completed');
        this.resolveDone?.();
      }
    }, 100);
    timer.unref();
  }

  private refresh(): void {
    let done = 0n;
    for (const t of this.targets) {
      const position = this.feed.positions.get(t.key);
      if (position === undefined) continue;
      const handled = position + 1n - t.low;
      done += handled > t.high - t.low ? t.high - t.low : handled;
    }
    this.status.eventsDone = Number(done);
    this.status.progress = this.status.eventsTotal ? Number(done) / this.status.eventsTotal : 1;
    const seconds = (Date.now() - this.startedMs) / 1000;
    if (seconds > 0) this.status.eventsPerSecond = Math.round(Number(done) / seconds);
  }

  private fail(error: unknown): void {
    this.logger.error({ err: error }, 'replay failed');
    this.status = { ...this.status, state: 'failed', finishedAt: new Date().toISOString(), error: (error as Error).message };
    this.resolveDone?.();
  }
}
