/** Job `lis`: LIS, value, AIS and efficiency with cross-fitted probes. The work is in ../lis/lis.ts. */
export { lis, parseSweep } from '../lis/lis';
export type { LisOptions, LisResult, LisSweepSpec } from '../lis/lis';
