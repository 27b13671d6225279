export type {
  AssignmentProblem,
  AssignmentResult,
  AuctionOptions,
  CandidateGraph,
  GreedyOptions,
  SolveCounters,
} from './lib/types';
export { InvalidProblemError, dualBound, evaluateAssignment, prepareProblem, validateProblem } from './lib/problem';
export type { Evaluation, PreparedProblem } from './lib/problem';
export { solveAuction } from './lib/auction';
export { solveGreedy } from './lib/greedy';
export { groupBy, topKCandidates } from './lib/candidates';
export type { RowScorer, TopKOptions } from './lib/candidates';
