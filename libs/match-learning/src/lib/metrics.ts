/** Area under the ROC curve (Mann–Whitney), ties counted half; null without both classes. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number | null {
  if (scores.length !== labels.length) throw new Error('scores and labels differ in length');
  const order = scores.map((s, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j] as number] === scores[order[i] as number]) j++;
    const midRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (labels[order[k] as number]) {
        rankSum += midRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood of probabilities (clipped to [1e-12, 1 − 1e-12]). */
export function logLoss(probabilities: readonly number[], labels: readonly boolean[]): number {
  let sum = 0;
  probabilities.forEach((p, i) => {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
    sum -= labels[i] ? Math.log(q) : Math.log(1 - q);
  });
  return probabilities.length ? sum / probabilities.length : 0;
}

/** Mean squared error of probabilities against 0/1 outcomes. */
export function brierScore(probabilities: readonly number[], labels: readonly boolean[]): number {
  let sum = 0;
  probabilities.forEach((p, i) => (sum += (p - (labels[i] ? 1 : 0)) ** 2));
  return probabilities.length ? sum / probabilities.length : 0;
}

export interface CalibrationBucket {
  /** Predicted probabilities in [from, to). */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability table: equal-width probability buckets with the mean prediction and the observed rate in each. */
export function calibration(probabilities: readonly number[], labels: readonly boolean[], buckets = 10): CalibrationBucket[] {
  const rows = Array.from({ length: buckets }, (_, b) => ({ from: b / buckets, to: (b + 1) / buckets, count: 0, predicted: 0, observed: 0 }));
  probabilities.forEach((p, i) => {
    const row = rows[Math.min(buckets - 1, Math.floor(p * buckets))] as (typeof rows)[number];
    row.count++;
    row.predicted += p;
    row.observed += labels[i] ? 1 : 0;
  });
  return rows
    .filter((r) => r.count > 0)
    .map((r) => ({ from: r.from, to: r.to, count: r.count, meanPredicted: r.predicted / r.count, observedRate: r.observed / r.count }));
}
