/** `reclens embed` and `reclens align`: projections, neighbours and alignment measures of embedding tables. */
import * as fs from 'fs';
import * as path from 'path';
import type { EmbeddingView } from './view';
import { pcaOffThread, umapOffThread } from '../compute/offThread';
import type { ProviderName, RecLensConfig } from '../config/types';
import { sqlString } from '../data/duck';
import type { Key } from '../data/keys';
import { loadTable } from '../data/tables';
import { inputError, usageError } from '../errors';
import { loadPreference, PairWeights } from '../lis/preferences';
import { JobControl, report } from '../progress';
import { buildRunRecord, type RanOn } from '../job';
import type { RunRecord } from '../runs/runRecord';
import { seededRandom } from '../util/random';
import { openWorkspace, Workspace } from '../workspace';
import {
  alignmentUniformity,
  BucketSplit,
  jaccardAtK,
  recallAtK,
  SemanticIdReport,
  semanticIdDiagnostics,
} from './alignment';
import { knn, knnThreads } from './knn';
import { Bucket, itemMetadata } from './metadata';
import { ProjectionSummary, summariseProjection } from './projectionSummary';
import { EmbeddingTable, openEmbeddingTable, sampleRows, subsetTable } from './source';

/** The run record of an embed or align run: its options with the provider chain as given, on the kNN's provider. */
function embeddingRecord<R>(
  kind: 'embed' | 'align',
  run: {
    config: RecLensConfig;
    ws: Workspace;
    seed: number;
    nn: RanOn;
    opts: object;
    providers: ProviderName[];
    seconds: number;
  },
  result: R,
): RunRecord<R> {
  const { config, ws, seed, nn, opts, providers, seconds } = run;
  return buildRunRecord(
    kind,
    { config, ws, seed, rs: nn, rows: ws.data.rows },
    { ...opts, providers: providers.join(',') },
    { totalSeconds: seconds },
    result,
  );
}

export interface EmbedOptions {
  table: string;
  method?: 'pca' | 'umap';
  sample?: number;
  seed?: number;
  /** Neighbours kept per point for the panel. */
  k?: number;
  providers?: ProviderName[];
  out?: string;
}

export interface EmbedResult {
  table: string;
  method: 'pca' | 'umap';
  rows: number;
  sampleSize: number;
  explainedVariance?: number[];
  knnProvider: string;
  seconds: number;
  out: string | null;
  /** A sample of the projection for the report's static scatter (absent in older records). */
  projection?: ProjectionSummary;
}

/** Default sample caps: UMAP is O(n) per epoch in JS; the panel stays smooth up to ~100k points. */
export const UMAP_SAMPLE = 20000;
export const VIEW_SAMPLE = 100000;

/** Where writeCoords writes before renaming (the workspace's DuckDB may write only there). */
function coordsTempFile(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

async function writeCoords(ws: Workspace, file: string, ids: Key[], coords: Float32Array): Promise<void> {
  const { conn } = ws.duck;
  await conn.run('CREATE OR REPLACE TEMP TABLE reclens_coords (id VARCHAR, x FLOAT, y FLOAT)');
  const app = await conn.createAppender('reclens_coords');
  ids.forEach((id, i) => {
    app.appendVarchar(String(id));
    app.appendFloat(coords[2 * i]);
    app.appendFloat(coords[2 * i + 1]);
    app.endRow();
  });
  app.closeSync();
  const tmp = coordsTempFile(file);
  await conn.run(`COPY reclens_coords TO ${sqlString(tmp)} (FORMAT parquet)`);
  fs.renameSync(tmp, file);
}

/** kNN of a table's rows on the job's providers, on as many threads as knnThreads gives for the config. */
function tableKnn(
  t: EmbeddingTable,
  k: number,
  config: RecLensConfig,
  providers: ProviderName[],
  control: JobControl | undefined,
): ReturnType<typeof knn> {
  return knn(t.vectors, t.rows, t.dim, k, providers, control, undefined, knnThreads(config.runtime.threads));
}

export async function embed(
  config: RecLensConfig,
  opts: EmbedOptions,
  control?: JobControl,
): Promise<{ view: EmbeddingView; result: EmbedResult; record: RunRecord<EmbedResult> }> {
  const t0 = performance.now();
  const method = opts.method ?? 'pca';
  const seed = opts.seed ?? 0;
  const providers = opts.providers ?? config.runtime.executionProviders;
  const ws = await openWorkspace(config, opts.out ? [coordsTempFile(path.resolve(opts.out))] : []);
  try {
    report(control, { phase: 'table', done: 0, total: 1 });
    const full = await openEmbeddingTable(ws, opts.table);
    const cap = opts.sample ?? (method === 'umap' ? UMAP_SAMPLE : VIEW_SAMPLE);
    const rows = sampleRows(full.rows, cap, seededRandom(seed ^ 0x5a3b));
    const t = subsetTable(full, rows);
    const nn = await tableKnn(t, Math.min(opts.k ?? 10, t.rows - 1), config, providers, control);
    let coords: Float32Array;
    let explainedVariance: number[] | undefined;
    if (method === 'pca') {
      report(control, { phase: 'pca', done: 0, total: 1 });
      const p = await pcaOffThread(t.vectors, t.rows, t.dim, 2, control?.signal);
      coords = p.coords;
      explainedVariance = p.explainedVariance;
    } else {
      coords = await umapOffThread(
        { vectors: t.vectors, rows: t.rows, dim: t.dim, knn: nn, seed },
        control?.signal,
        (done, total) => report(control, { phase: 'umap', done, total }),
      );
    }
    const meta = await itemMetadata(ws, t.ids);
    let out: string | null = null;
    if (opts.out) {
      out = path.resolve(opts.out);
      await writeCoords(ws, out, t.ids, coords);
    }
    const view: EmbeddingView = {
      table: opts.table,
      method,
      n: t.rows,
      totalRows: full.rows,
      ids: t.ids.map(String),
      labels: meta.labels,
      coords,
      explainedVariance,
      metadata: meta.columns,
      size: Float32Array.from(meta.popularity, Math.log1p),
      knn: { k: nn.k, indices: nn.indices, cosines: nn.cosines },
      seed,
    };
    const seconds = (performance.now() - t0) / 1000;
    const result: EmbedResult = {
      table: opts.table,
      method,
      rows: full.rows,
      sampleSize: t.rows,
      explainedVariance,
      knnProvider: nn.provider,
      seconds,
      out,
      projection: summariseProjection(coords, meta.columns, seed),
    };
    return {
      view,
      result,
      record: embeddingRecord('embed', { config, ws, seed, nn: nn, opts, providers, seconds }, result),
    };
  } finally {
    ws.close();
  }
}

export interface AlignOptions {
  table: string;
  against?: string;
  preferences?: string;
  codes?: string;
  k?: number;
  seed?: number;
  providers?: ProviderName[];
}

export interface AlignResult {
  table: string;
  against: string | null;
  preferences: string | null;
  k: number;
  rows: number;
  recallAtK: BucketSplit | null;
  recallAtKAgainst: BucketSplit | null;
  jaccardAtK: BucketSplit | null;
  sharedIds: number | null;
  alignment: BucketSplit | null;
  uniformity: number;
  semanticIds: SemanticIdReport | null;
  buckets: Record<Bucket, number>;
  knnProvider: string;
  seconds: number;
}

export async function align(
  config: RecLensConfig,
  opts: AlignOptions,
  control?: JobControl,
): Promise<{ result: AlignResult; record: RunRecord<AlignResult> }> {
  const t0 = performance.now();
  const k = opts.k ?? 10;
  const seed = opts.seed ?? 0;
  const providers = opts.providers ?? config.runtime.executionProviders;
  const ws = await openWorkspace(config);
  try {
    const a = await openEmbeddingTable(ws, opts.table);
    const metaA = await itemMetadata(ws, a.ids);
    let pairs: PairWeights | undefined;
    if (opts.preferences) {
      const prefs = Object.keys((config.raw.preferences ?? {}) as object);
      if (!prefs.includes(opts.preferences))
        throw usageError(`Unknown preference dataset "${opts.preferences}" (defined: ${prefs.join(', ') || 'none'}).`);
      // Alignment is judged on all pairs of P (its leaked version); LIS separates leaked from historical.
      pairs = (await loadPreference(ws.duck, config, opts.preferences, Infinity)).leak;
    }
    const nnA = await tableKnn(a, Math.min(k, a.rows - 1), config, providers, control);
    const recall = pairs ? recallAtK(a.ids, nnA.indices, nnA.k, pairs, metaA.bucket) : null;
    const au = pairs
      ? alignmentUniformity(a.ids, a.vectors, a.dim, pairs, metaA.bucket, seededRandom(seed))
      : {
          alignment: null,
          uniformity: alignmentUniformity(
            a.ids,
            a.vectors,
            a.dim,
            { neighbours: new Map(), pairs: 0 },
            metaA.bucket,
            seededRandom(seed),
          ).uniformity,
        };
    let jaccard: BucketSplit | null = null,
      shared: number | null = null,
      recallB: BucketSplit | null = null;
    if (opts.against) {
      const b = await openEmbeddingTable(ws, opts.against);
      const rowB = new Map(b.ids.map((id, i) => [id, i]));
      const keepA: number[] = [],
        keepB: number[] = [];
      a.ids.forEach((id, i) => {
        const j = rowB.get(id);
        if (j !== undefined) {
          keepA.push(i);
          keepB.push(j);
        }
      });
      shared = keepA.length;
      if (shared < k + 2)
        throw inputError(
          `Tables "${opts.table}" and "${opts.against}" share ${shared} ids; Jaccard@${k} needs more than ${k + 1}.`,
          { file: config.file, path: ['tables'] },
        );
      const sa = subsetTable(a, Uint32Array.from(keepA)),
        sb = subsetTable(b, Uint32Array.from(keepB));
      const [ka, kb] = [
        await tableKnn(sa, k, config, providers, control),
        await tableKnn(sb, k, config, providers, control),
      ];
      jaccard = jaccardAtK(
        ka.indices,
        kb.indices,
        k,
        shared,
        keepA.map((i) => metaA.bucket[i]),
      );
      if (pairs) {
        const nnB = await tableKnn(b, Math.min(k, b.rows - 1), config, providers, control);
        recallB = recallAtK(b.ids, nnB.indices, nnB.k, pairs, (await itemMetadata(ws, b.ids)).bucket);
      }
    }
    let semanticIds: SemanticIdReport | null = null;
    if (opts.codes) {
      const spec = config.tables[opts.codes];
      if (!spec) throw usageError(`Unknown codes table "${opts.codes}".`);
      const codes = await loadTable(ws.duck, spec);
      semanticIds = semanticIdDiagnostics(codes.ids, codes.vectors, codes.dim, pairs);
    }
    const buckets = { cold: 0, warm: 0, hot: 0 } as Record<Bucket, number>;
    for (const b of metaA.bucket) buckets[b]++;
    const seconds = (performance.now() - t0) / 1000;
    const result: AlignResult = {
      table: opts.table,
      against: opts.against ?? null,
      preferences: opts.preferences ?? null,
      k: nnA.k,
      rows: a.rows,
      recallAtK: recall,
      recallAtKAgainst: recallB,
      jaccardAtK: jaccard,
      sharedIds: shared,
      alignment: au.alignment,
      uniformity: au.uniformity,
      semanticIds,
      buckets,
      knnProvider: nnA.provider,
      seconds,
    };
    return {
      result,
      record: embeddingRecord('align', { config, ws, seed, nn: nnA, opts, providers, seconds }, result),
    };
  } finally {
    ws.close();
  }
}
