/** Job `ablate`: mask / permute ablations of input slots with paired intervals. The work is in ../ablation/ablate.ts. */
export { ablate } from '../ablation/ablate';
export type { AblateOptions, AblationMethod, AblationResult, AblationRow } from '../ablation/ablate';
