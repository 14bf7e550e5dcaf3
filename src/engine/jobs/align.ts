/** Job `align`: recall@K, Jaccard@K, alignment / uniformity, semantic ids. The work is in ../embedding/jobs.ts. */
export { align } from '../embedding/jobs';
export type { AlignOptions, AlignResult } from '../embedding/jobs';
