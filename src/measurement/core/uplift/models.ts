// Three ways to predict a person's uplift (their outcome if treated minus if not) from
// a randomised experiment. Each `fit` learns from training rows and returns a function
// of a design row; none sees the rows it will be scored on (see cross-fit.ts).

import {
  type Design,
  fitLogistic,
  fitRidge,
  predictLogistic,
  dot,
  type Coefficients,
} from './linear.js';

export interface UpliftTrainingSet {
  readonly x: Design;
  readonly treated: readonly boolean[];
  readonly y: readonly number[];
  /** Outcomes are all 0 or 1: classifiers; otherwise regressions. */
  readonly binary: boolean;
}

export type UpliftPredictor = (row: readonly number[]) => number;

export interface UpliftModel {
  readonly name: string;
  fit(train: UpliftTrainingSet): UpliftPredictor;
}

const L2 = 1;

function subset(train: UpliftTrainingSet, arm: boolean): { x: Design; y: number[] } {
  const x: (readonly number[])[] = [];
  const y: number[] = [];
  train.treated.forEach((t, i) => {
    if (t === arm) {
      x.push(train.x[i]!);
      y.push(train.y[i]!);
    }
  });
  return { x, y };
}

/** A response model for one arm: P(y = 1 | x) or E[y | x]. */
function outcomeModel(x: Design, y: readonly number[], binary: boolean): UpliftPredictor {
  if (binary) {
    const beta = fitLogistic(x, y, { l2: L2 });
    return (row) => predictLogistic(beta, row);
  }
  const beta = fitRidge(x, y, { l2: L2 });
  return (row) => dot(row, beta);
}

function treatedShare(train: UpliftTrainingSet): number {
  const t = train.treated.filter(Boolean).length;
  return t / Math.max(1, train.treated.length);
}

/** The coefficients of a T-learner's two outcome models, to store and score later. */
export interface TLearnerFit {
  readonly link: 'logistic' | 'identity';
  readonly treated: Coefficients;
  readonly control: Coefficients;
}

/** Fits the two outcome models of a T-learner and keeps their coefficients. */
export function fitTLearner(train: UpliftTrainingSet): TLearnerFit {
  const t = subset(train, true);
  const c = subset(train, false);
  const fit = train.binary
    ? (x: Design, y: readonly number[]) => fitLogistic(x, y, { l2: L2 })
    : (x: Design, y: readonly number[]) => fitRidge(x, y, { l2: L2 });
  return {
    link: train.binary ? 'logistic' : 'identity',
    treated: fit(t.x, t.y),
    control: fit(c.x, c.y),
  };
}

/** Two models, one per arm; uplift is the difference of their predictions. */
export const tLearner: UpliftModel = {
  name: 't_learner',
  fit(train) {
    const t = subset(train, true);
    const c = subset(train, false);
    const m1 = outcomeModel(t.x, t.y, train.binary);
    const m0 = outcomeModel(c.x, c.y, train.binary);
    return (row) => m1(row) - m0(row);
  },
};

/**
 * Class transformation (Jaskowski & Jaroszewicz 2012): Z = 1 for treated converters and
 * control non-converters. With arms weighted to equal size, uplift = 2·P(Z = 1 | x) − 1.
 * For a numeric outcome, the transformed outcome y·(w/e − (1 − w)/(1 − e)), whose
 * expectation given x is the uplift, regressed directly (Athey & Imbens 2016).
 */
export const classTransformation: UpliftModel = {
  name: 'class_transformation',
  fit(train) {
    const e = treatedShare(train);
    if (train.binary) {
      const z = train.y.map((y, i) => (train.treated[i] ? y : 1 - y));
      const weights = train.treated.map((t) => (t ? 0.5 / e : 0.5 / (1 - e)));
      const beta: Coefficients = fitLogistic(train.x, z, { l2: L2, weights });
      return (row) => 2 * predictLogistic(beta, row) - 1;
    }
    const ystar = train.y.map((y, i) => (train.treated[i] ? y / e : -y / (1 - e)));
    const beta = fitRidge(train.x, ystar, { l2: L2 });
    return (row) => dot(row, beta);
  },
};

/**
 * X-learner (Künzel et al. 2019): fit each arm's response, impute each person's effect
 * with the other arm's model, regress those effects, and blend the two effect models by
 * the treated share (a randomised experiment's propensity is that constant).
 */
export const xLearner: UpliftModel = {
  name: 'x_learner',
  fit(train) {
    const e = treatedShare(train);
    const t = subset(train, true);
    const c = subset(train, false);
    const m1 = outcomeModel(t.x, t.y, train.binary);
    const m0 = outcomeModel(c.x, c.y, train.binary);
    const d1 = t.x.map((row, i) => t.y[i]! - m0(row));
    const d0 = c.x.map((row, i) => m1(row) - c.y[i]!);
    const tau1 = fitRidge(t.x, d1, { l2: L2 });
    const tau0 = fitRidge(c.x, d0, { l2: L2 });
    return (row) => e * dot(row, tau0) + (1 - e) * dot(row, tau1);
  },
};

export const UPLIFT_MODELS: readonly UpliftModel[] = [tLearner, classTransformation, xLearner];
