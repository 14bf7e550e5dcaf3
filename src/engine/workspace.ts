/**
 * Opens everything a job needs from a config: the ONNX structure, the data's columns and row count, the lookup
 * tables, and the input plan. Model execution is separate (openSession), so inspection works without it.
 */
import { declaredBatchSize, rowWidth, widthAwareBatchSize } from './config/batchSize';
import { declaredFiles } from './config/declaredFiles';
import type { RecLensConfig } from './config/types';
import { DataWarning, dataWarnings } from './data/dataWarnings';
import { DataDescription, describeData } from './data/describe';
import { Duck, openDuck } from './data/duck';
import { InputPlan, planInputs } from './data/inputPlan';
import { LookupTable, loadTable } from './data/tables';
import { inputError } from './errors';
import type { InspectedOnnx, LoadedOnnx, ModelInspection } from './model/inspect';
import { knownModelSha256 } from './model/modelCache';
import { parseOnnxOffThread } from './model/onnxOffThread';
import { fileStampOf } from './runs/hash';
import { readFileSafely } from './util/safeFile';
import { suggestion } from './util/suggest';

export interface Workspace {
  config: RecLensConfig;
  /** The model's hash and inspection; its bytes only where the job reads them (WorkspaceWithModelBytes). */
  onnx: InspectedOnnx;
  model: ModelInspection;
  outputName: string;
  data: DataDescription;
  tables: Record<string, LookupTable>;
  plan: InputPlan;
  /** Rows per inference call: runtime.batchSize when the config sets it, else a default that suits the model's width. */
  batchSize: number;
  /** NULL groups, a label written as words: every job's run record and output carry them (see dataWarnings). */
  warnings: DataWarning[];
  duck: Duck;
  close(): void;
}

/** A workspace that read the model file's bytes (the embedding views read the model's own tables from them). */
export interface WorkspaceWithModelBytes extends Workspace {
  onnx: LoadedOnnx;
}

/** How many times this process has read a model file's bytes for a workspace (tests: a cache hit reads none). */
let modelReads = 0;
export function modelFileReads(): number {
  return modelReads;
}

/**
 * readOnnx, with the model's sha256 taken from the model cache's memo of its file stamp (model/modelCache.ts) when
 * the file kept that stamp while it was read and every byte of it was read; else hashed as before.
 */
async function readModel(config: RecLensConfig): Promise<LoadedOnnx> {
  const file = config.model.path;
  const before = await fileStampOf(file);
  modelReads++;
  const bytes = await readFileSafely(file, 'Model file');
  const after = await fileStampOf(file);
  const known =
    before && after?.stamp === before.stamp && BigInt(bytes.length) === before.size
      ? knownModelSha256(config.dir, file, before.stamp)
      : undefined;
  return parseOnnxOffThread(file, bytes, 'load', known);
}

/** `writable`: files the job itself writes through DuckDB (e.g. embed --out), besides the config's own files. */
export async function openWorkspace(
  config: RecLensConfig,
  writable: readonly string[] = [],
): Promise<WorkspaceWithModelBytes> {
  return openWith(config, writable, readModel(config));
}

/**
 * openWorkspace for a scoring job (job.ts openJob): with `remembered` (the model cache's hash and inspection for the
 * file's stamp, given only when onnxruntime loads the saved graph and not the file) the model file is not read or
 * parsed at all; the job checks the file's stamp again once its session is ready.
 */
export async function openScoringWorkspace(
  config: RecLensConfig,
  writable: readonly string[],
  remembered: InspectedOnnx | undefined,
): Promise<Workspace> {
  return openWith(config, writable, remembered ? Promise.resolve(remembered) : readModel(config));
}

async function openWith<O extends InspectedOnnx>(
  config: RecLensConfig,
  writable: readonly string[],
  reading: Promise<O>,
): Promise<Workspace & { onnx: O }> {
  // The model is read, hashed and parsed (main thread's I/O, then the ONNX worker) while DuckDB opens and describes
  // the data (its own threads): neither needs the other. A model error is reported before a data error, as before.
  const opening = openDuck(2, [...declaredFiles(config), ...writable], config.dir).then(async (duck) => {
    try {
      return { duck, data: await describeData(duck, config) };
    } catch (e) {
      duck.close();
      throw e;
    }
  });
  opening.catch(() => undefined); // awaited below, after the model; a model error first must not leave it unhandled
  let onnx: O, outputName: string;
  try {
    onnx = await reading;
    const outputs = onnx.inspection.outputs.map((o) => o.name);
    outputName = config.model.output ?? outputs[0];
    if (!outputs.includes(outputName)) {
      throw inputError(
        `model.output "${outputName}" is not an output of ${config.model.path}.${suggestion(outputName, outputs)}`,
        { file: config.file, path: ['model', 'output'] },
      );
    }
  } catch (e) {
    void opening.then(
      ({ duck }) => duck.close(),
      () => undefined,
    );
    throw e;
  }
  const model = onnx.inspection;
  const { duck, data } = await opening;
  try {
    if (data.rows === 0) {
      const f = config.data.filter;
      if (f !== undefined)
        throw inputError(
          `No evaluation rows in ${config.data.path} after data.filter (${f.length > 120 ? `${f.slice(0, 120)}...` : f}): the filter keeps no row. Loosen it or remove it.`,
          { file: config.file, path: ['data', 'filter'] },
        );
      throw inputError(
        `No evaluation rows in ${config.data.path}: the dataset is empty. Point data.path at a file with rows.`,
        { file: config.file, path: ['data', 'path'] },
      );
    }
    const tables: Record<string, LookupTable> = {};
    for (const [name, spec] of Object.entries(config.tables)) {
      const used = Object.values(config.inputs).some((i) => i.kind === 'table' && i.table === name);
      if (used) tables[name] = await loadTable(duck, spec);
    }
    const plan = await planInputs(duck, config, model.inputs, data.columns, tables);
    const warnings = await dataWarnings(duck, config, data);
    const batchSize = declaredBatchSize(config) ?? widthAwareBatchSize(rowWidth(plan.inputs, model.embeddingTables));
    return {
      config,
      onnx,
      model,
      outputName,
      data,
      tables,
      plan,
      batchSize,
      warnings,
      duck,
      close: () => duck.close(),
    };
  } catch (e) {
    duck.close();
    throw e;
  }
}
