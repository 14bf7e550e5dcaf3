/** Job `ceiling`: the label-leak ceiling of each slot (oracle vs mask vs full). The work is in ../ablation/ceiling.ts. */
export { ceiling } from '../ablation/ceiling';
export type { CeilingOptions, CeilingResult, CeilingRow } from '../ablation/ceiling';
