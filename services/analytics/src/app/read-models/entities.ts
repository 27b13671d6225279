import { defineEntity, p } from '@mikro-orm/core';

/*
 * The read models. Every table is a function of the events alone (never of the order in which events of different
 * topics arrive, nor of the time they are consumed), so a replay from the topics' beginning rebuilds them exactly.
 * Attributes owned by another entity (a manager's branch, a customer's segment) are joined when queried.
 */

/** A customer's latest state: profile fields (profiles.customer.v1) and current assignment (matching.assignment.v1). */
export const CustomerStateSchema = defineEntity({
  name: 'CustomerState',
  tableName: 'customer_state',
  properties: {
    customerId: p.string().length(36).primary(),
    /** 0 while only assignment events have been seen: such a row is in no distribution. */
    profileVersion: p.integer().default(0),
    segment: p.string().length(32).nullable(),
    aumCny: p.decimal().precision(20).scale(2).default(0),
    riskLevel: p.string().length(8).nullable(),
    ageBand: p.string().length(16).nullable(),
    branchId: p.string().length(64).nullable(),
    city: p.string().length(64).nullable(),
    lifecycle: p.string().length(16).nullable(),
    /** JSON arrays of codes. */
    tags: p.text().nullable(),
    needs: p.text().nullable(),
    createdAt: p.datetime(3).nullable(),
    managerId: p.string().length(36).nullable(),
    assignmentVersion: p.integer().default(0),
    assignmentScore: p.double().nullable(),
    /** Why and since when the customer has no manager (from the AssignmentChanged that removed the last one). */
    unassignedReason: p.string().length(32).nullable(),
    unassignedSince: p.datetime(3).nullable(),
  },
  indexes: [
    { name: 'customer_state_manager_idx', properties: ['managerId'] },
    { name: 'customer_state_unassigned_idx', properties: ['managerId', 'unassignedReason'] },
  ],
});

/** Customers and their AUM per dimension value and current manager ('' = none): the distribution, kept incrementally. */
export const DistributionCountSchema = defineEntity({
  name: 'DistributionCount',
  tableName: 'distribution_count',
  properties: {
    dimension: p.string().length(16).primary(),
    managerId: p.string().length(36).primary(),
    value: p.string().length(64).primary(),
    customers: p.integer().default(0),
    aumCny: p.decimal().precision(20).scale(2).default(0),
  },
});

/** A manager's latest registry snapshot (managers.manager.v1) and current load (matching.assignment.v1). */
export const ManagerStateSchema = defineEntity({
  name: 'ManagerState',
  tableName: 'manager_state',
  properties: {
    managerId: p.string().length(36).primary(),
    /** 0 while only assignment events have been seen. */
    managerVersion: p.integer().default(0),
    userId: p.string().length(36).nullable(),
    displayName: p.string().length(100).nullable(),
    branchId: p.string().length(64).nullable(),
    capacity: p.integer().default(0),
    availability: p.string().length(16).nullable(),
    satisfaction: p.double().nullable(),
    retention: p.double().nullable(),
    aumGrowth: p.double().nullable(),
    bookSize: p.integer().default(0),
  },
  indexes: [{ name: 'manager_state_user_idx', properties: ['userId'] }],
});

/** One proposal and its outcome (MatchProposed, then MatchAccepted or MatchRejected; either may be seen first). */
export const ProposalStateSchema = defineEntity({
  name: 'ProposalState',
  tableName: 'proposal_state',
  properties: {
    proposalId: p.string().length(36).primary(),
    customerId: p.string().length(36),
    managerId: p.string().length(36),
    reason: p.string().length(16).nullable(),
    runId: p.string().length(36).nullable(),
    score: p.double().nullable(),
    proposedAt: p.datetime(3).nullable(),
    /** pending, accepted or declined */
    outcome: p.string().length(16).default('pending'),
    resolvedAt: p.datetime(3).nullable(),
  },
  indexes: [
    { name: 'proposal_state_proposed_idx', properties: ['proposedAt'] },
    { name: 'proposal_state_run_idx', properties: ['runId'] },
    { name: 'proposal_state_manager_idx', properties: ['managerId', 'proposedAt'] },
  ],
});

/** Match effectiveness per day (of each event) and manager. */
export const MatchDailySchema = defineEntity({
  name: 'MatchDaily',
  tableName: 'match_daily',
  properties: {
    day: p.date().primary(),
    managerId: p.string().length(36).primary(),
    proposed: p.integer().default(0),
    accepted: p.integer().default(0),
    declined: p.integer().default(0),
    /** Seconds from proposal to acceptance, summed over the acceptances of the day whose proposal is known. */
    acceptSecondsSum: p.decimal().precision(20).scale(3).default(0),
    acceptTimed: p.integer().default(0),
    /** Exact decimals, so sums do not depend on the order events are added in (a replay's order differs). */
    scoreSum: p.decimal().precision(20).scale(4).default(0),
  },
});

/** Proposal scores per day and manager in ten bands of 10 points: band 0 is [0,10), band 9 is [90,100]. */
export const MatchScoreBandSchema = defineEntity({
  name: 'MatchScoreBand',
  tableName: 'match_score_band',
  properties: {
    day: p.date().primary(),
    managerId: p.string().length(36).primary(),
    band: p.smallint().primary(),
    proposals: p.integer().default(0),
  },
});

/** Growth trend deltas per day: metric × series (segment, reason, kind) × manager ('' = bank-wide only). */
export const TrendDailySchema = defineEntity({
  name: 'TrendDaily',
  tableName: 'trend_daily',
  properties: {
    metric: p.string().length(32).primary(),
    series: p.string().length(32).primary(),
    managerId: p.string().length(36).primary(),
    day: p.date().primary(),
    value: p.decimal().precision(20).scale(2).default(0),
  },
});

/** Each rebalance run's before/after figures (RebalanceCompleted). */
export const RunSummarySchema = defineEntity({
  name: 'RunSummary',
  tableName: 'run_summary',
  properties: {
    runId: p.string().length(36).primary(),
    mode: p.string().length(16),
    customers: p.integer(),
    moved: p.integer(),
    unassigned: p.integer(),
    totalScoreBefore: p.double(),
    totalScoreAfter: p.double(),
    durationMs: p.integer(),
    completedAt: p.datetime(3),
  },
  indexes: [{ name: 'run_summary_completed_idx', properties: ['completedAt'] }],
});

/**
 * Which Kafka consumer group the feed reads with: `<group>` for generation 0, `<group>.g<n>` after the n-th replay.
 * A replay starts a new group (which reads every topic from its beginning) instead of rewinding the old one.
 */
export const FeedStateSchema = defineEntity({
  name: 'FeedState',
  tableName: 'feed_state',
  properties: {
    id: p.smallint().primary().autoincrement(false),
    generation: p.integer().default(0),
  },
});

export const readModelEntities = [
  CustomerStateSchema,
  DistributionCountSchema,
  ManagerStateSchema,
  ProposalStateSchema,
  MatchDailySchema,
  MatchScoreBandSchema,
  TrendDailySchema,
  RunSummarySchema,
  FeedStateSchema,
];

/** The tables a replay empties before reading the topics again. */
export const READ_MODEL_TABLES = [
  'customer_state',
  'distribution_count',
  'manager_state',
  'proposal_state',
  'match_daily',
  'match_score_band',
  'trend_daily',
  'run_summary',
] as const;
