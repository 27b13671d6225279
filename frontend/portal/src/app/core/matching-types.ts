// The matching service declares no response schemas in the OpenAPI document (its 200s have no content), so these
// views cannot be generated. The browser suite checks each against a real answer of the running system
// (tests/portal.spec.mjs, "matching views"), so a change in matching fails a test instead of drifting silently.

/** The factors of the rule score (libs/match-scoring FACTORS). */
export type MatchFactor =
  | 'needFit'
  | 'segmentFit'
  | 'riskExpertise'
  | 'language'
  | 'proximity'
  | 'sharedInterests'
  | 'performance'
  | 'loadHeadroom';

/** One factor's share of a match score: contributions sum to the score (libs/contracts ScoreContribution). */
export interface Contribution {
  factor: MatchFactor | string;
  weight: number;
  value: number;
  points: number;
}

/** A score with its explanation (libs/contracts MatchExplanation); `model` names the learned model, if any. */
export interface Explanation {
  score: number;
  contributions: Contribution[];
  omitted: { factor: string; reason: string }[];
  model: string | null;
}

/** GET /api/matching/me/assignment, /customers/:id/assignment, and the items of /assignments. */
export interface AssignmentView {
  customerId: string;
  managerId: string | null;
  manager: { displayName: string; employeeNo: string; branchId: string } | null;
  state: 'proposed' | 'accepted' | null;
  proposalId: string | null;
  version: number;
  score: number | null;
  explanation: Explanation | null;
  reason: string | null;
  runId: string | null;
  pinned: boolean;
  updatedAt: string | null;
}

/** The items of GET /api/matching/history. */
export interface HistoryEntryView {
  id: number;
  customerId: string;
  managerId: string | null;
  previousManagerId: string | null;
  assignmentVersion: number;
  event: string;
  reason: string;
  runId: string | null;
  score: number | null;
  explanation: Explanation | null;
  actor: { id: string | null; role: string | null };
  note: string | null;
  at: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/profiles/risk-questionnaire (profiles declares no response schema for it either). */
export interface RiskQuestionnaire {
  questions: {
    id: string;
    text: Record<string, string>;
    options: {
      answer: 'A' | 'B' | 'C' | 'D';
      score: number;
      text: Record<string, string>;
    }[];
  }[];
  levels: Record<string, string>;
}
