/** Types for ml-logistic-regression 2.0.0 (the package ships none): only what match-learning uses. */
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  interface TwoClassModel {
    numSteps: number;
    learningRate: number;
    weights: Matrix | null;
  }

  /** One binary logistic regression, trained by full-batch gradient ascent on the log-likelihood. */
  interface TwoClassClassifier extends TwoClassModel {
    weights: Matrix;
    train(features: Matrix, target: Matrix): void;
    testScores(features: Matrix): number[];
  }

  interface LogisticRegressionModel {
    name: 'LogisticRegression';
    numSteps: number;
    learningRate: number;
    numberClasses: number;
    classifiers: TwoClassModel[];
  }

  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    numSteps: number;
    learningRate: number;
    numberClasses: number;
    classifiers: TwoClassClassifier[];
    train(features: Matrix, target: Matrix): void;
    predict(features: Matrix): number[];
    toJSON(): LogisticRegressionModel;
    static load(model: LogisticRegressionModel): LogisticRegression;
  }
}
