/**
 * Job `compare`: two run records side by side; two evaluations of the same rows are scored again for paired
 * intervals. It takes run records, not a config, so it is not in the registry. The work is in ../compare.ts.
 */
import type { JobControl } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import { compareRuns, RunComparison } from '../compare';

export { compareRuns };
export type { RunComparison };
export type CompareResult = RunComparison;

export interface CompareOptions {
  /** Paired bootstrap replicates (default 200). */
  bootstrap?: number;
  /** Default: run A's seed. */
  seed?: number;
}

export function compare(
  a: RunRecord,
  b: RunRecord,
  options: CompareOptions = {},
  control?: JobControl,
): Promise<CompareResult> {
  return compareRuns(a, b, options, control);
}
