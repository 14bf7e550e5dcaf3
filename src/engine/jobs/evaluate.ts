/**
 * Job `eval` (reclens eval, RecLens: Evaluate): score every evaluation row and compute AUC, GAUC, LogLoss,
 * calibration, curves, slices and bootstrap intervals. The work is done in ../evaluate.ts.
 */
export { evaluate } from '../evaluate';
export type { EvalOptions, EvalResult, EvalRun } from '../evaluate';
