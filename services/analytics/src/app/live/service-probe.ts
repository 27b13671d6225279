import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from '../config';

export interface ServiceHealth {
  service: string;
  ready: boolean;
  checkedAt: string;
}

export interface LatencyPercentiles {
  /** Observations in the last probe interval. */
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const REMATCH_HISTOGRAM = 'matching_rematch_duration_seconds';

/**
 * The services' own endpoints, read every few seconds for the live board: readiness (`/health/ready`) of each
 * configured service, and matching's incremental-rematch latency (its `matching_rematch_duration_seconds`
 * histogram at `/metrics`) as percentiles over the last interval. Never another service's tables.
 */
@Injectable()
export class ServiceProbe implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ServiceProbe.name);
  private timer?: NodeJS.Timeout;
  private health: ServiceHealth[] = [];
  private rematch: LatencyPercentiles | null = null;
  private previousBuckets?: Map<number, number>;

  constructor(@Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig) {}

  onModuleInit(): void {
    if (!this.config.LIVE_SERVICES.length) return;
    this.timer = setInterval(() => void this.probe(), this.config.LIVE_PROBE_INTERVAL_MS);
    this.timer.unref();
    void this.probe();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  current(): { services: ServiceHealth[]; rematchLatencySeconds: LatencyPercentiles | null } {
    return { services: this.health, rematchLatencySeconds: this.rematch };
  }

  async probe(): Promise<void> {
    const checkedAt = new Date().toISOString();
    this.health = await Promise.all(
      this.config.LIVE_SERVICES.map(async ({ name, url }) => ({
        service: name,
        ready: await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false),
        checkedAt,
      })),
    );
    const matching = this.config.LIVE_SERVICES.find((s) => s.name === 'matching');
    if (!matching) return;
    try {
      const text = await fetch(`${matching.url}/metrics`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.text());
      const buckets = cumulativeBuckets(parsePrometheusTextFormat(text), REMATCH_HISTOGRAM);
      if (this.previousBuckets) this.rematch = percentiles(buckets, this.previousBuckets);
      this.previousBuckets = buckets;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read matching metrics');
    }
  }
}

/** A histogram's cumulative counts by upper bound, summed over its label sets. */
export function cumulativeBuckets(families: ParsedFamily[], name: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const sample of families.find((f) => f.name === name && f.type === 'HISTOGRAM')?.metrics ?? []) {
    for (const [le, count] of Object.entries(sample.buckets ?? {})) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      out.set(bound, (out.get(bound) ?? 0) + Number(count));
    }
  }
  return out;
}

/**
 * Percentiles of the observations between two cumulative snapshots, interpolated linearly inside a bucket as
 * Prometheus' histogram_quantile does (an answer in the +Inf bucket is the highest finite bound).
 */
export function percentiles(now: Map<number, number>, before: Map<number, number>): LatencyPercentiles {
  const bounds = [...now.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => Math.max(0, (now.get(b) ?? 0) - (before.get(b) ?? 0)));
  const total = counts[counts.length - 1] ?? 0;
  const quantile = (q: number): number | null => {
    if (!total) return null;
    const rank = q * total;
    for (let i = 0; i < bounds.length; i++) {
      if (counts[i] >= rank) {
        if (bounds[i] === Infinity) return bounds[i - 1] ?? null;
        const lower = i === 0 ? 0 : bounds[i - 1];
        const below = i === 0 ? 0 : counts[i - 1];
        const inBucket = counts[i] - below;
        return inBucket > 0 ? lower + ((bounds[i] - lower) * (rank - below)) / inBucket : bounds[i];
      }
    }
    return null;
  };
  return { count: total, p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) };
}
