import { MikroORM } from '@mikro-orm/core';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { forkEm } from '@relationship/persistence';
import { type TrendMetric } from '../read-models/projector';
import { dayRange, MAX_RANGE_DAYS, type DayRange, type EffectivenessGroup, type Granularity } from './dto';
import { coefficientOfVariation, gini, UTILISATION_BANDS, utilisationBand, WAITING_BANDS } from './fairness';
import { managerCondition, type Scope } from './scope';

export interface MatchFigures {
  key: string | null;
  proposed: number;
  accepted: number;
  declined: number;
  /** accepted / (accepted + declined): of the proposals decided in the range, the share accepted. */
  acceptanceRate: number | null;
  declineRate: number | null;
  meanTimeToAcceptSeconds: number | null;
  meanScore: number | null;
  /** Proposals per score band of 10 points, [0,10) … [90,100]. */
  scoreBands: number[];
}

/** Trend metrics kept only bank-wide (a customer is in no manager's book when they join). */
const BANK_ONLY_METRICS: readonly TrendMetric[] = ['new_customers', 'aum', 'registrations'];
/** Stocks are summed up to each period's end; the others are flows, summed within the period. */
const STOCK_METRICS: readonly TrendMetric[] = ['aum'];

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const round = (v: number | null, digits = 4) => (v === null ? null : Number(v.toFixed(digits)));

function scopeLabel(scope: Scope): Record<string, string> {
  if (scope.kind === 'manager') return { kind: 'manager', managerId: scope.managerId };
  if (scope.kind === 'branch') return { kind: 'branch', branchId: scope.branchId };
  return { kind: 'bank' };
}

function dateString(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** The figures behind the dashboards, read from the read models (never from another service). */
@Injectable()
export class FiguresService {
  constructor(private readonly orm: MikroORM) {}

  private sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return forkEm(this.orm).execute<T[]>(query, params);
  }

  async distribution(scope: Scope, dimension: string) {
    const where = managerCondition(scope, 'manager_id');
    const rows = await this.sql<{ value: string; customers: string; aum: string }>(
      `select value, sum(customers) customers, sum(aum_cny) aum from distribution_count where dimension = ? and ${where.sql} group by value having sum(customers) > 0 order by sum(customers) desc, value`,
      [dimension, ...where.params],
    );
    const [total] = await this.sql<{ customers: string | null; aum: string | null }>(
      `select sum(customers) customers, sum(aum_cny) aum from distribution_count where dimension = 'segment' and ${where.sql}`,
      where.params,
    );
    const customers = num(total?.customers);
    return {
      dimension,
      scope: scopeLabel(scope),
      customers,
      aumCny: num(total?.aum),
      values: rows.map((r) => ({ value: r.value, customers: num(r.customers), share: round(ratio(num(r.customers), customers)), aumCny: num(r.aum) })),
    };
  }

  async effectiveness(scope: Scope, query: { from: string; to: string; by: EffectivenessGroup }) {
    const range = dayRange(query);
    // Independent reads on separate pooled connections: the answer takes the longest of them, not their sum.
    const [groups, performance] = await Promise.all([
      query.by === 'segment' ? this.effectivenessBySegment(scope, range) : this.effectivenessByManager(scope, range, query.by),
      this.performance(scope, query.by),
    ]);
    return {
      from: range.from,
      to: range.to,
      by: query.by,
      scope: scopeLabel(scope),
      groups: groups.map((g) => ({ ...g, performance: performance.get(g.key ?? '') ?? null })),
    };
  }

  private async effectivenessByManager(scope: Scope, range: DayRange, by: 'none' | 'manager' | 'branch'): Promise<MatchFigures[]> {
    const where = managerCondition(scope, 'd.manager_id');
    const key = by === 'manager' ? 'd.manager_id' : by === 'branch' ? "coalesce(m.branch_id, 'unknown')" : 'null';
    const [rows, bands] = await Promise.all([
      this.sql<Record<string, unknown>>(
        `select ${key} k, sum(d.proposed) proposed, sum(d.accepted) accepted, sum(d.declined) declined, sum(d.accept_seconds_sum) accept_seconds, sum(d.accept_timed) accept_timed, sum(d.score_sum) score_sum
       from match_daily d left join manager_state m on m.manager_id = d.manager_id
       where d.day between ? and ? and ${where.sql} group by k order by k`,
        [range.from, range.to, ...where.params],
      ),
      this.sql<{ k: string | null; band: number; proposals: string }>(
        `select ${key.replace(/d\./g, 'b.')} k, b.band, sum(b.proposals) proposals
         from match_score_band b left join manager_state m on m.manager_id = b.manager_id
         where b.day between ? and ? and ${where.sql.replace(/d\./g, 'b.')} group by k, b.band`,
        [range.from, range.to, ...where.params],
      ),
    ]);
    return rows.map((r) => this.matchFigures(r, bands));
  }

  private async effectivenessBySegment(scope: Scope, range: DayRange): Promise<MatchFigures[]> {
    const where = managerCondition(scope, 'p.manager_id');
    const rows = await this.sql<Record<string, unknown>>(
      `select coalesce(c.segment, 'unknown') k,
         sum(p.proposed_at >= ? and p.proposed_at < ?) proposed,
         sum(p.outcome = 'accepted' and p.resolved_at >= ? and p.resolved_at < ?) accepted,
         sum(p.outcome = 'declined' and p.resolved_at >= ? and p.resolved_at < ?) declined,
         sum(if(p.outcome = 'accepted' and p.resolved_at >= ? and p.resolved_at < ? and p.proposed_at is not null, timestampdiff(microsecond, p.proposed_at, p.resolved_at) / 1000000, 0)) accept_seconds,
         sum(p.outcome = 'accepted' and p.resolved_at >= ? and p.resolved_at < ? and p.proposed_at is not null) accept_timed,
         sum(if(p.proposed_at >= ? and p.proposed_at < ?, p.score, 0)) score_sum
       from proposal_state p left join customer_state c on c.customer_id = p.customer_id
       where ((p.proposed_at >= ? and p.proposed_at < ?) or (p.resolved_at >= ? and p.resolved_at < ?)) and ${where.sql}
       group by k order by k`,
      [...Array(8).fill([range.startsAt, range.endsAt]).flat(), ...where.params],
    );
    const bands = await this.sql<{ k: string; band: number; proposals: string }>(
      `select coalesce(c.segment, 'unknown') k, least(9, floor(p.score / 10)) band, count(*) proposals
       from proposal_state p left join customer_state c on c.customer_id = p.customer_id
       where p.proposed_at >= ? and p.proposed_at < ? and ${where.sql} group by k, band`,
      [range.startsAt, range.endsAt, ...where.params],
    );
    return rows.map((r) => this.matchFigures(r, bands));
  }

  private matchFigures(r: Record<string, unknown>, bands: Array<{ k: string | null; band: number; proposals: string }>): MatchFigures {
    const key = (r['k'] as string | null) ?? null;
    const proposed = num(r['proposed']);
    const accepted = num(r['accepted']);
    const declined = num(r['declined']);
    const scoreBands = Array<number>(10).fill(0);
    for (const b of bands) if ((b.k ?? null) === key) scoreBands[Number(b.band)] += num(b.proposals);
    return {
      key,
      proposed,
      accepted,
      declined,
      acceptanceRate: round(ratio(accepted, accepted + declined)),
      declineRate: round(ratio(declined, accepted + declined)),
      meanTimeToAcceptSeconds: round(ratio(num(r['accept_seconds']), num(r['accept_timed'])), 3),
      meanScore: round(ratio(num(r['score_sum']), proposed)),
      scoreBands,
    };
  }

  /** Outcome feedback as the registry carries it: mean satisfaction (0–5), retention (0–1), AUM growth, per group. */
  private async performance(scope: Scope, by: EffectivenessGroup) {
    const out = new Map<string, { satisfaction: number | null; retention: number | null; aumGrowth: number | null; managers: number }>();
    if (by === 'segment') return out;
    const where = managerCondition(scope, 'manager_id');
    const key = by === 'manager' ? 'manager_id' : by === 'branch' ? "coalesce(branch_id, 'unknown')" : "''";
    const rows = await this.sql<Record<string, unknown>>(
      `select ${key} k, avg(satisfaction) satisfaction, avg(retention) retention, avg(aum_growth) aum_growth, count(*) managers
       from manager_state where manager_version > 0 and ${where.sql} group by k`,
      where.params,
    );
    for (const r of rows) {
      const avg = (v: unknown) => (v === null || v === undefined ? null : round(Number(v)));
      out.set(String(r['k']), { satisfaction: avg(r['satisfaction']), retention: avg(r['retention']), aumGrowth: avg(r['aum_growth']), managers: num(r['managers']) });
    }
    return out;
  }

  async runs(query: { from: string; to: string; windowDays: number }) {
    const range = dayRange(query);
    const runs = await this.sql<Record<string, unknown>>(
      `select run_id, mode, customers, moved, unassigned, total_score_before, total_score_after, duration_ms, completed_at,
         date(convert_tz(completed_at, '+00:00', '+08:00')) completed_day
       from run_summary where completed_at >= ? and completed_at < ? order by completed_at`,
      [range.startsAt, range.endsAt],
    );
    const out = [];
    for (const run of runs) {
      const day = dateString(run['completed_day']);
      const shift = (days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      const window = async (from: string, to: string) => {
        const [w] = await this.sql<Record<string, unknown>>(
          'select sum(proposed) proposed, sum(accepted) accepted, sum(declined) declined, sum(score_sum) score_sum from match_daily where day between ? and ?',
          [from, to],
        );
        const accepted = num(w?.['accepted']);
        const declined = num(w?.['declined']);
        return { from, to, proposed: num(w?.['proposed']), accepted, declined, acceptanceRate: round(ratio(accepted, accepted + declined)), meanScore: round(ratio(num(w?.['score_sum']), num(w?.['proposed']))) };
      };
      const [own] = await this.sql<Record<string, unknown>>(
        "select count(*) proposed, sum(outcome = 'accepted') accepted, sum(outcome = 'declined') declined, avg(score) mean_score from proposal_state where run_id = ?",
        [run['run_id']],
      );
      const customers = num(run['customers']);
      out.push({
        runId: run['run_id'],
        mode: run['mode'],
        completedAt: new Date(run['completed_at'] as string).toISOString(),
        durationMs: num(run['duration_ms']),
        customers,
        moved: num(run['moved']),
        unassigned: num(run['unassigned']),
        meanScoreBefore: round(ratio(num(run['total_score_before']), customers)),
        meanScoreAfter: round(ratio(num(run['total_score_after']), customers)),
        proposals: { proposed: num(own?.['proposed']), accepted: num(own?.['accepted']), declined: num(own?.['declined']), meanScore: own?.['mean_score'] == null ? null : round(Number(own['mean_score'])) },
        before: await window(shift(-query.windowDays), shift(-1)),
        after: await window(day, shift(query.windowDays - 1)),
      });
    }
    return { from: range.from, to: range.to, windowDays: query.windowDays, runs: out };
  }

  async workload(scope: Scope) {
    const where = managerCondition(scope, 'manager_id');
    const rows = await this.sql<Record<string, unknown>>(
      `select manager_id, display_name, coalesce(branch_id, 'unknown') branch_id, capacity, availability, book_size from manager_state
       where (manager_version > 0 or book_size <> 0) and ${where.sql} order by branch_id, manager_id`,
      where.params,
    );
    const managers = rows.map((r) => {
      const load = num(r['book_size']);
      const capacity = num(r['capacity']);
      return {
        managerId: String(r['manager_id']),
        displayName: (r['display_name'] as string | null) ?? null,
        branchId: String(r['branch_id']),
        availability: (r['availability'] as string | null) ?? null,
        load,
        capacity,
        utilisation: round(ratio(load, capacity)),
      };
    });
    const bands = Object.fromEntries(UTILISATION_BANDS.map((b) => [b, 0])) as Record<string, number>;
    for (const m of managers) bands[utilisationBand(m.load, m.capacity)] += 1;
    // Fairness compares the managers who can carry a book: the active ones.
    const active = managers.filter((m) => m.availability === 'active');
    const fairnessOf = (list: typeof managers) => ({ managers: list.length, load: list.reduce((s, m) => s + m.load, 0), capacity: list.reduce((s, m) => s + m.capacity, 0), gini: round(gini(list.map((m) => m.load))), coefficientOfVariation: round(coefficientOfVariation(list.map((m) => m.load))) });
    const branches = [...new Set(active.map((m) => m.branchId))].sort().map((branchId) => ({ branchId, ...fairnessOf(active.filter((m) => m.branchId === branchId)) }));
    return {
      scope: scopeLabel(scope),
      managers,
      utilisationBands: bands,
      fairness: scope.kind === 'manager' ? null : { overall: fairnessOf(active), branches },
    };
  }

  async unassigned(scope: Scope, now = new Date()) {
    if (scope.kind === 'manager') throw new ForbiddenException("managerId: unassigned customers are in no manager's book");
    const branch = scope.kind === 'branch' ? { sql: 'and branch_id = ?', params: [scope.branchId] } : { sql: '', params: [] };
    const rows = await this.sql<{ reason: string; hours: string | null }>(
      `select coalesce(unassigned_reason, 'never_assigned') reason, timestampdiff(second, coalesce(unassigned_since, created_at), ?) / 3600 hours
       from customer_state where manager_id is null and profile_version > 0 ${branch.sql}`,
      [now, ...branch.params],
    );
    const byReason = new Map<string, number>();
    const byWaiting = new Map<string, number>(WAITING_BANDS.map((b) => [b.code, 0]));
    let totalHours = 0;
    let maxHours = 0;
    for (const r of rows) {
      byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
      const hours = Math.max(0, num(r.hours));
      totalHours += hours;
      maxHours = Math.max(maxHours, hours);
      const band = WAITING_BANDS.find((b) => hours < b.maxHours) ?? WAITING_BANDS[WAITING_BANDS.length - 1];
      byWaiting.set(band.code, (byWaiting.get(band.code) ?? 0) + 1);
    }
    return {
      scope: scopeLabel(scope),
      customers: rows.length,
      meanWaitingHours: round(ratio(totalHours, rows.length), 2),
      maxWaitingHours: round(maxHours, 2),
      byReason: [...byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason, customers]) => ({ reason, customers })),
      byWaitingTime: [...byWaiting].map(([band, customers]) => ({ band, customers })),
    };
  }

  async trends(scope: Scope, query: { metric: TrendMetric; granularity: Granularity; from: string; to: string }) {
    if (scope.kind !== 'bank' && BANK_ONLY_METRICS.includes(query.metric)) {
      throw new ForbiddenException(`metric: ${query.metric} is kept bank-wide only (admins); a book's trends are matches, reassignments and declines`);
    }
    const range = dayRange(query, MAX_RANGE_DAYS[query.granularity], query.granularity);
    const where = managerCondition(scope, 'manager_id');
    const rows = await this.sql<{ series: string; day: unknown; value: string }>(
      `select series, day, sum(value) value from trend_daily where metric = ? and day between ? and ? and ${where.sql} group by series, day order by day`,
      [query.metric, range.from, range.to, ...where.params],
    );
    const stock = STOCK_METRICS.includes(query.metric);
    const baseline = new Map<string, number>();
    if (stock) {
      for (const r of await this.sql<{ series: string; value: string }>(
        `select series, sum(value) value from trend_daily where metric = ? and day < ? and ${where.sql} group by series`,
        [query.metric, range.from, ...where.params],
      )) {
        baseline.set(r.series, num(r.value));
      }
    }
    const seriesNames = [...new Set([...baseline.keys(), ...rows.map((r) => r.series)])].sort();
    const periods = periodsOf(range, query.granularity);
    const series = seriesNames.map((name) => {
      const byDay = new Map(rows.filter((r) => r.series === name).map((r) => [dateString(r.day), num(r.value)]));
      let running = baseline.get(name) ?? 0;
      const points = periods.map((period) => {
        let flow = 0;
        for (const day of period.days) flow += byDay.get(day) ?? 0;
        running += flow;
        return { period: period.label, value: Number((stock ? running : flow).toFixed(2)) };
      });
      return { series: name, points };
    });
    return { metric: query.metric, granularity: query.granularity, from: range.from, to: range.to, scope: scopeLabel(scope), kind: stock ? 'stock' : 'flow', series };
  }

  async overview(scope: Scope) {
    const where = managerCondition(scope, 'manager_id');
    // From the distribution counts (one row per segment and manager), not a scan of every customer.
    const [[c], [m], [p], [r]] = await Promise.all([
      this.sql<Record<string, unknown>>(
        `select coalesce(sum(customers), 0) customers, coalesce(sum(if(manager_id <> '', customers, 0)), 0) assigned, coalesce(sum(aum_cny), 0) aum
         from distribution_count where dimension = 'segment' and ${where.sql}`,
        where.params,
      ),
      this.sql<Record<string, unknown>>(
        `select count(*) managers, coalesce(sum(book_size), 0) book_size, coalesce(sum(capacity), 0) capacity from manager_state where manager_version > 0 and ${where.sql}`,
        where.params,
      ),
      this.sql<Record<string, unknown>>(`select sum(outcome = 'pending') pending, count(*) proposals from proposal_state where ${where.sql}`, where.params),
      this.sql<Record<string, unknown>>('select count(*) runs, max(completed_at) last_run_at from run_summary'),
    ]);
    return {
      scope: scopeLabel(scope),
      customers: num(c?.['customers']),
      assignedCustomers: num(c?.['assigned']),
      aumCny: num(c?.['aum']),
      managers: num(m?.['managers']),
      load: num(m?.['book_size']),
      capacity: num(m?.['capacity']),
      proposals: num(p?.['proposals']),
      pendingProposals: num(p?.['pending']),
      runs: scope.kind === 'bank' ? num(r?.['runs']) : null,
      lastRunAt: scope.kind === 'bank' && r?.['last_run_at'] ? new Date(r['last_run_at'] as string).toISOString() : null,
    };
  }
}

/** Periods of a range: each day, each ISO week (labelled by its Monday) or each month (YYYY-MM), with their days. */
export function periodsOf(range: { from: string; to: string }, granularity: Granularity): Array<{ label: string; days: string[] }> {
  const periods: Array<{ label: string; days: string[] }> = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end; t += 86_400_000) {
    const date = new Date(t);
    const day = date.toISOString().slice(0, 10);
    let label = day;
    if (granularity === 'week') label = new Date(t - ((date.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    if (granularity === 'month') label = day.slice(0, 7);
    const last = periods[periods.length - 1];
    if (last?.label === label) last.days.push(day);
    else periods.push({ label, days: [day] });
  }
  return periods;
}

