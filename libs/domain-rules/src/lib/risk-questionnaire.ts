import type { RiskLevel } from '@relationship/contracts';

/**
 * The risk-appetite questionnaire (风险承受能力评估): ten questions, four options each (A–D, scored 1–4), so a
 * total between 10 and 40. The total maps to the five suitability levels C1 (conservative) … C5 (aggressive).
 * Answers are kept on the portrait; the level is always derived from them, never typed in.
 */
export interface RiskQuestion {
  id: string;
  text: { 'zh-CN': string; en: string };
  options: { answer: RiskAnswer; score: number; text: { 'zh-CN': string; en: string } }[];
}

export const RISK_ANSWERS = ['A', 'B', 'C', 'D'] as const;
export type RiskAnswer = (typeof RISK_ANSWERS)[number];

const q = (id: string, zh: string, en: string, options: [string, string][]): RiskQuestion => ({
  id,
  text: { 'zh-CN': zh, en },
  options: options.map(([oz, oe], i) => ({ answer: RISK_ANSWERS[i], score: i + 1, text: { 'zh-CN': oz, en: oe } })),
});

export const RISK_QUESTIONS: readonly RiskQuestion[] = [
  q('age', '您的年龄段是？', 'Your age?', [
    ['65岁以上', 'over 65'],
    ['51–65岁', '51–65'],
    ['18–30岁', '18–30'],
    ['31–50岁', '31–50'],
  ]),
  q('income_stability', '您的收入来源是否稳定？', 'How stable is your income?', [
    ['无固定收入', 'no regular income'],
    ['不太稳定', 'somewhat irregular'],
    ['较稳定', 'fairly stable'],
    ['非常稳定且持续增长', 'very stable and growing'],
  ]),
  q('investable_share', '计划投资的资金占您家庭金融资产的比例？', 'Share of household financial assets you plan to invest?', [
    ['50%以上', 'over 50%'],
    ['30%–50%', '30–50%'],
    ['10%–30%', '10–30%'],
    ['10%以下', 'under 10%'],
  ]),
  q('experience', '您的投资经验？', 'Your investment experience?', [
    ['仅有存款', 'deposits only'],
    ['理财产品或债券', 'wealth products or bonds'],
    ['基金或股票不足5年', 'funds or stocks, under 5 years'],
    ['股票、期货等5年以上', 'stocks, futures etc., 5+ years'],
  ]),
  q('knowledge', '您对金融产品的了解程度？', 'How well do you know financial products?', [
    ['基本不了解', 'hardly at all'],
    ['了解一些', 'a little'],
    ['比较了解', 'fairly well'],
    ['非常了解', 'very well'],
  ]),
  q('horizon', '您计划的投资期限？', 'Your investment horizon?', [
    ['1年以内', 'under 1 year'],
    ['1–3年', '1–3 years'],
    ['3–5年', '3–5 years'],
    ['5年以上', 'over 5 years'],
  ]),
  q('objective', '您的主要投资目标？', 'Your main investment objective?', [
    ['保本为主', 'preserve capital'],
    ['稳定收益', 'steady income'],
    ['较高收益，可承受一定波动', 'higher returns with some volatility'],
    ['追求高收益，可承受大幅波动', 'maximum returns, large swings acceptable'],
  ]),
  q('loss_tolerance', '您能承受的最大本金亏损？', 'Largest loss of principal you can bear?', [
    ['不能亏损', 'none'],
    ['10%以内', 'up to 10%'],
    ['10%–30%', '10–30%'],
    ['30%以上', 'over 30%'],
  ]),
  q('drawdown_reaction', '若投资三个月内下跌20%，您会？', 'If an investment fell 20% within three months, you would…', [
    ['全部赎回', 'sell everything'],
    ['赎回部分', 'sell some'],
    ['继续持有', 'hold'],
    ['逢低加仓', 'buy more'],
  ]),
  q('liquidity_need', '未来一年内您动用这笔资金的可能性？', 'How likely are you to need this money within a year?', [
    ['很可能', 'very likely'],
    ['有可能', 'possibly'],
    ['不太可能', 'unlikely'],
    ['基本不会', 'almost certainly not'],
  ]),
];

/** Inclusive upper bound of the total score for each level; above the last is C5. */
const LEVEL_BOUNDS: readonly [number, RiskLevel][] = [
  [15, 'C1'],
  [21, 'C2'],
  [27, 'C3'],
  [33, 'C4'],
];

/** Why the answers are not a complete questionnaire, or null when they are. */
export function riskAnswersProblem(answers: unknown): string | null {
  if (!Array.isArray(answers)) return 'must be a list of answers';
  if (answers.length !== RISK_QUESTIONS.length) return `must answer all ${RISK_QUESTIONS.length} questions (got ${answers.length})`;
  const bad = answers.findIndex((a) => !(RISK_ANSWERS as readonly unknown[]).includes(a));
  return bad === -1 ? null : `answer ${bad + 1} must be one of ${RISK_ANSWERS.join(', ')}`;
}

export function riskScore(answers: readonly RiskAnswer[]): number {
  return answers.reduce((sum, answer, i) => sum + (RISK_QUESTIONS[i].options.find((o) => o.answer === answer)?.score ?? 0), 0);
}

export function riskLevelForScore(score: number): RiskLevel {
  return LEVEL_BOUNDS.find(([bound]) => score <= bound)?.[1] ?? 'C5';
}

/** The level a complete set of answers earns. */
export function riskLevelFor(answers: readonly RiskAnswer[]): RiskLevel {
  const problem = riskAnswersProblem(answers);
  if (problem) throw new Error(`riskAnswers ${problem}`);
  return riskLevelForScore(riskScore(answers));
}

/**
 * A complete set of answers that earns `level` (the band's top score), for generated data and tests: the same
 * letter for every question, the first ones one letter higher where the total calls for it.
 */
export function riskAnswersFor(level: RiskLevel): RiskAnswer[] {
  const bound = LEVEL_BOUNDS.find(([, l]) => l === level)?.[0] ?? RISK_QUESTIONS.length * RISK_ANSWERS.length;
  const base = Math.floor(bound / RISK_QUESTIONS.length);
  const higher = bound % RISK_QUESTIONS.length;
  return RISK_QUESTIONS.map((_, i) => RISK_ANSWERS[base - 1 + (i < higher ? 1 : 0)]);
}
