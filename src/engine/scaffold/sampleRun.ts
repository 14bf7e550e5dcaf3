/**
 * Runs the model on the first rows of the data under a proposed mapping: the outputs tell a logit from a
 * probability, and the sample AUC breaks ties between equally named candidates (the model was trained on one of
 * them, and scores best with it). Only called where running the model is allowed (CLI, trusted workspace).
 */
import type { RecLensConfig, InputSpec, TableSpec } from '../config/types';
import { materialize } from '../data/materialize';
import { auc } from '../metrics/auc';
import { RemoteSession } from '../model/remoteSession';
import { openWorkspace } from '../workspace';
import type { InputSource, Proposal } from './types';

export interface SampleResult {
  rows: number;
  min: number;
  max: number;
  /** Undefined when the sample holds one class only. */
  auc?: number;
}

export function toInputSpec(s: InputSource): InputSpec {
  return s.kind === 'column'
    ? { kind: 'column', column: s.column }
    : s.kind === 'columns'
      ? { kind: 'columns', columns: s.columns }
      : { kind: 'table', table: s.table, key: s.key };
}

/** The in-memory config a complete proposal stands for (outputs read raw: kind "logit" never rejects a value). */
export function proposalConfig(p: Proposal, overrides: Record<string, InputSource> = {}): RecLensConfig {
  const tables: Record<string, TableSpec> = {};
  for (const t of p.tables)
    tables[t.name] = {
      name: t.name,
      path: t.path,
      ids: t.ids,
      idColumn: t.idColumn ?? 'id',
      vectorColumn: t.vectorColumn ?? 'vector',
      fallback: 'zeros',
    };
  const inputs: Record<string, InputSpec> = {};
  for (const i of p.inputs) {
    const s = overrides[i.input] ?? i.source;
    if (s) inputs[i.input] = toInputSpec(s);
  }
  return {
    file: `${p.dir}/reclens.json`,
    dir: p.dir,
    model: { path: p.model, output: p.output, outputKind: 'logit' },
    data: { path: p.data, label: p.roles.label.column! },
    tables,
    inputs,
    slots: [],
    runtime: { executionProviders: ['cpu'], batchSize: 8192, threads: 0 },
    raw: {},
  };
}

/** Scores the first `rows` rows of a config's data with an open session. */
export async function scoreSample(rs: RemoteSession, config: RecLensConfig, rows: number): Promise<SampleResult> {
  const ws = await openWorkspace(config);
  let release: (() => void) | undefined;
  try {
    const mat = await materialize(ws, undefined, rows);
    release = mat.release;
    const n = mat.rows;
    const scores = new Float32Array(n);
    const batch = 4096;
    for (let s = 0; s < n; s += batch) {
      const e = Math.min(n, s + batch);
      const feeds = mat.inputs.map((inp) => ({
        name: inp.name,
        dtype: inp.dtype,
        dims: inp.dims,
        data: mat.columns.get(inp.name)!.slice(s * inp.width, e * inp.width),
      }));
      scores.set(await rs.run(e - s, feeds), s);
    }
    let min = Infinity,
      max = -Infinity,
      pos = 0;
    for (let i = 0; i < n; i++) {
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
      pos += mat.labels[i];
    }
    return { rows: n, min, max, auc: pos > 0 && pos < n ? auc(mat.labels, scores) : undefined };
  } finally {
    release?.();
    ws.close();
  }
}

/** Opens the model once; score() runs one mapping on the first `rows` rows. */
export async function openSampler(
  p: Proposal,
  rows = 20000,
): Promise<{ score(overrides?: Record<string, InputSource>): Promise<SampleResult>; close(): Promise<void> }> {
  const rs = await RemoteSession.open(p.model, ['cpu'], 0, p.output);
  return {
    score: (overrides = {}) => scoreSample(rs, proposalConfig(p, overrides), rows),
    close: () => rs.close(),
  };
}
