import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { cumulativeBuckets, percentiles } from './service-probe';

const exposition = (counts: [number, number, number, number]) => `# HELP matching_rematch_duration_seconds One incremental rematch
# TYPE matching_rematch_duration_seconds histogram
matching_rematch_duration_seconds_bucket{le="0.01",status="ok",service="matching"} ${counts[0]}
matching_rematch_duration_seconds_bucket{le="0.05",status="ok",service="matching"} ${counts[1]}
matching_rematch_duration_seconds_bucket{le="0.1",status="ok",service="matching"} ${counts[2]}
matching_rematch_duration_seconds_bucket{le="+Inf",status="ok",service="matching"} ${counts[3]}
matching_rematch_duration_seconds_sum{status="ok",service="matching"} 1
matching_rematch_duration_seconds_count{status="ok",service="matching"} ${counts[3]}
`;

describe('rematch latency from matching’s histogram', () => {
  it('gives percentiles of the observations between two scrapes, interpolated inside buckets', () => {
    const before = cumulativeBuckets(parsePrometheusTextFormat(exposition([10, 10, 10, 10])), 'matching_rematch_duration_seconds');
    // since then: 50 under 10 ms, 40 in (10, 50] ms, 10 in (50, 100] ms
    const now = cumulativeBuckets(parsePrometheusTextFormat(exposition([60, 100, 110, 110])), 'matching_rematch_duration_seconds');
    const p = percentiles(now, before);
    expect(p.count).toBe(100);
    // rank 50 is the last of the first bucket: 0 + 0.01 · 50/50
    expect(p.p50).toBeCloseTo(0.01, 10);
    // rank 95: 5 of the 10 in (0.05, 0.1] → 0.05 + 0.05 · 5/10
    expect(p.p95).toBeCloseTo(0.075, 10);
    expect(p.p99).toBeCloseTo(0.095, 10);
  });

  it('has no percentiles without new observations, and caps +Inf at the highest bound', () => {
    const same = cumulativeBuckets(parsePrometheusTextFormat(exposition([1, 2, 3, 4])), 'matching_rematch_duration_seconds');
    expect(percentiles(same, same)).toEqual({ count: 0, p50: null, p95: null, p99: null });
    const slow = cumulativeBuckets(parsePrometheusTextFormat(exposition([0, 0, 0, 5])), 'matching_rematch_duration_seconds');
    expect(percentiles(slow, new Map()).p50).toBe(0.1);
  });
});
