/**
 * Every job that runs on a config, in one table: its options (described once in ./options.ts terms), how to run it,
 * and which options its run record's Reproduce line carries. The CLI builds its flags, parsing and --help from this
 * table and the editor's run manager types and checks its arguments with it, so an option added here reaches both.
 * Runners load their job module on first use: reading this table loads no job code (and no native module).
 */
import type { RecLensConfig } from '../config/types';
import type { JobControl } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import { BATCH_SIZE, LIMIT, OptionSpec, PROVIDERS, SEED } from './options';
import type { AblateOptions, AblationResult } from './ablate';
import type { AlignOptions, AlignResult } from './align';
import type { CeilingOptions, CeilingResult } from './ceiling';
import type { EmbedOptions, EmbedResult } from './embed';
import type { EvalOptions, EvalResult } from './evaluate';
import type { LisOptions, LisResult } from './lis';

export interface JobRun<R> {
  result: R;
  record: RunRecord<R>;
}

export interface JobSpec<O, R> {
  /** What the editor's progress notification says while it runs. */
  title: string;
  /** One line for `reclens <kind> --help`. */
  summary: string;
  /** A remark under the usage line of `reclens --help`. */
  note?: string;
  /** In the order the CLI builds the options object (the embedding jobs record it as given). */
  options: readonly OptionSpec<O>[];
  /**
   * The run record's Reproduce line: the options that shape the numbers, in this order (speed and output location
   * are left out). `buildRunRecord` writes it through `reproduceArgs`.
   */
  reproduce: readonly (keyof O & string)[];
  run(config: RecLensConfig, options: O, control?: JobControl): Promise<JobRun<R>>;
}

const job = <O, R>(spec: JobSpec<O, R>): JobSpec<O, R> => spec;

const slots = (help: string): OptionSpec<{ slots?: string[] }> => ({
  name: 'slots',
  flag: 'slots',
  type: 'list',
  value: 'a,b',
  help,
});

/** Bootstrap replicates for a job's 95% intervals: each job its own default and what it resamples. */
const bootstrap = (byDefault: number, help: string): OptionSpec<{ bootstrap?: number }> => ({
  name: 'bootstrap',
  flag: 'bootstrap',
  type: 'int',
  value: 'B',
  default: byDefault,
  help,
});

/** The last options of every job that scores the evaluation rows: which rows, the seed, and how the model runs. */
const SCORING_TAIL = [LIMIT, SEED, PROVIDERS, BATCH_SIZE] as const;

export const JOBS = {
  eval: job<EvalOptions, EvalResult>({
    title: 'evaluating',
    summary: 'score every evaluation row: AUC, GAUC, LogLoss, calibration, curves and per-slice metrics',
    options: [
      bootstrap(0, 'bootstrap replicates (resampling users) for 95% intervals; 0: none'),
      { name: 'slices', flag: 'no-slices', type: 'boolean', negated: true, help: 'skip the per-slice metrics' },
      ...SCORING_TAIL,
    ],
    reproduce: ['bootstrap', 'limit'],
    run: async (config, options, control) => (await import('./evaluate')).evaluate(config, options, control),
  }),
  ablate: job<AblateOptions, AblationResult>({
    title: 'ablating slots',
    summary: 'how much each input slot is worth: mask and permute ablations with paired intervals',
    note: '"b+c": slots ablated together',
    options: [
      { ...slots('slots to ablate (default: every slot); "b+c" ablates b and c together'), value: 'a,b+c' },
      {
        name: 'slice',
        flag: 'slice',
        type: 'string',
        value: 'S',
        help: 'only the rows of this slice (a name under "slices" in reclens.json, or auto:...)',
      },
      {
        name: 'method',
        flag: 'method',
        type: 'choice',
        choices: ['mask', 'permute', 'both'],
        default: 'both',
        help: 'replace the slot by its neutral value, permute it across rows, or both',
      },
      { name: 'repeats', flag: 'repeats', type: 'int', value: 'R', min: 1, default: 5, help: 'permutations per slot' },
      {
        name: 'withinGroup',
        flag: 'within-group',
        type: 'boolean',
        help: 'permute only within each user (data.group)',
      },
      bootstrap(200, 'paired bootstrap replicates (by user) for the 95% intervals'),
      ...SCORING_TAIL,
    ],
    reproduce: ['slots', 'slice', 'method', 'repeats', 'withinGroup', 'bootstrap', 'limit'],
    run: async (config, options, control) => (await import('./ablate')).ablate(config, options, control),
  }),
  ceiling: job<CeilingOptions, CeilingResult>({
    title: 'slot ceilings',
    summary: 'the label-leak ceiling of each slot: how far an oracle choice of its value could push AUC',
    options: [
      slots('slots to measure (default: every slot)'),
      {
        name: 'candidates',
        flag: 'candidates',
        type: 'int',
        value: 'K',
        min: 2,
        default: 32,
        help: 'candidate values tried per row',
      },
      ...SCORING_TAIL,
    ],
    reproduce: ['slots', 'candidates', 'limit'],
    run: async (config, options, control) => (await import('./ceiling')).ceiling(config, options, control),
  }),
  lis: job<LisOptions, LisResult>({
    title: 'LIS and AIS',
    summary: 'leakage-informed scores of preference data (LIS, value) and embedding tables (AIS, efficiency)',
    options: [
      {
        name: 'preferences',
        flag: 'preferences',
        type: 'list',
        value: 'p1,p2',
        help: 'preference datasets (default: all in reclens.json)',
      },
      {
        name: 'tables',
        flag: 'tables',
        type: 'list',
        value: 't1,t2',
        help: 'embedding tables (default: all in reclens.json)',
      },
      { name: 'folds', flag: 'folds', type: 'int', value: 'F', min: 2, help: 'user folds per split (default 2)' },
      {
        name: 'splits',
        flag: 'splits',
        type: 'int',
        value: 'S',
        min: 1,
        help: 'seeded splits of users into folds (default 5)',
      },
      bootstrap(200, 'user-bootstrap replicates pooled over the splits'),
      {
        name: 'sweep',
        flag: 'sweep',
        type: 'repeated',
        value: 'window=7d,30d,90d',
        help: 'sensitivity of LIS to how interaction-built preference data is made; repeatable (--sweep minCount=1,2,5)',
        parse: async (raw) => (raw.length ? (await import('./lis')).parseSweep(raw) : undefined),
      },
      {
        name: 'substitution',
        flag: 'substitution',
        type: 'boolean',
        help: 'also the frozen substitution view: the ranker with each table replaced by its preference partners',
      },
      ...SCORING_TAIL,
    ],
    reproduce: ['preferences', 'tables', 'folds', 'splits', 'sweep', 'substitution', 'bootstrap', 'limit'],
    run: async (config, options, control) => (await import('./lis')).lis(config, options, control),
  }),
  embed: job<EmbedOptions, EmbedResult>({
    title: 'embedding projection',
    summary: "a 2-D projection (PCA or UMAP) of an embedding table, with each point's nearest neighbours",
    options: [
      {
        name: 'table',
        flag: 'table',
        type: 'string',
        value: 'T',
        required: 'embed needs --table <name> (a table in reclens.json, or onnx:<initializer>).',
        help: "a table in reclens.json, or onnx:<initializer> for the ranker's own id embeddings",
      },
      {
        name: 'method',
        flag: 'method',
        type: 'choice',
        choices: ['pca', 'umap'],
        default: 'pca',
        help: 'the projection',
      },
      {
        name: 'sample',
        flag: 'sample',
        type: 'int',
        value: 'N',
        min: 3,
        help: 'seeded sample of rows (default 20000 for UMAP, 100000 for PCA)',
      },
      SEED,
      PROVIDERS,
      {
        name: 'out',
        flag: 'out',
        type: 'string',
        value: 'coords.parquet',
        help: 'also write the coordinates (id, x, y) as Parquet',
      },
      { name: 'k', flag: 'k', type: 'int', value: 'K', min: 1, help: 'neighbours kept per point (default 10)' },
    ],
    reproduce: ['table', 'method', 'sample', 'k'],
    run: async (config, options, control) => (await import('./embed')).embed(config, options, control),
  }),
  align: job<AlignOptions, AlignResult>({
    title: 'embedding alignment',
    summary: "how well an embedding table's neighbours agree with preference pairs and with another table",
    note: "T: a table in reclens.json, or onnx:<initializer> for the ranker's own id embeddings",
    options: [
      {
        name: 'table',
        flag: 'table',
        type: 'string',
        value: 'T',
        required: 'align needs --table <name>.',
        help: 'the table to measure',
      },
      {
        name: 'against',
        flag: 'against',
        type: 'string',
        value: 'T2',
        help: "a second table: Jaccard@K of the two tables' neighbours over shared ids",
      },
      {
        name: 'preferences',
        flag: 'preferences',
        type: 'string',
        value: 'P',
        help: 'a preference dataset: recall@K of its pairs, alignment',
      },
      {
        name: 'codes',
        flag: 'codes',
        type: 'string',
        value: 'CODES',
        help: 'a table of semantic-id codes: utilisation and collisions',
      },
      { name: 'k', flag: 'k', type: 'int', value: 'K', min: 1, help: 'neighbours per item (default 10)' },
      SEED,
      PROVIDERS,
    ],
    reproduce: ['table', 'against', 'preferences', 'codes', 'k'],
    run: async (config, options, control) => (await import('./align')).align(config, options, control),
  }),
};

export type JobKind = keyof typeof JOBS;
export const JOB_KINDS = Object.keys(JOBS) as JobKind[];
// Distributive: for a union of kinds, the union of their options (results).
export type JobOptionsOf<K extends JobKind> = K extends JobKind
  ? // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any` in the unused position of a conditional type
    (typeof JOBS)[K] extends JobSpec<infer O, any>
    ? O
    : never
  : never;
export type JobResultOf<K extends JobKind> = K extends JobKind
  ? // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any` in the unused position of a conditional type
    (typeof JOBS)[K] extends JobSpec<any, infer R>
    ? R
    : never
  : never;

export function isJobKind(kind: string): kind is JobKind {
  return Object.prototype.hasOwnProperty.call(JOBS, kind);
}

/** The job's description, loosely typed for code that walks every job. */
export function jobSpec(kind: JobKind): JobSpec<Record<string, unknown>, unknown> {
  return JOBS[kind] as unknown as JobSpec<Record<string, unknown>, unknown>;
}
