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
import { LoadedOnnx, ModelInspection, readOnnx } from './model/inspect';
import { suggestion } from './util/suggest';

export interface Workspace {
  config: RecLensConfig;
  onnx: LoadedOnnx;
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

/** `writable`: files the job itself writes through DuckDB (e.g. embed --out), besides the config's own files. */
export async function openWorkspace(config: RecLensConfig, writable: readonly string[] = []): Promise<Workspace> {
  const onnx = await readOnnx(config.model.path);
  const model = onnx.inspection;
  const outputs = model.outputs.map((o) => o.name);
  const outputName = config.model.output ?? outputs[0];
  if (!outputs.includes(outputName)) {
    throw inputError(
      `model.output "${outputName}" is not an output of ${config.model.path}.${suggestion(outputName, outputs)}`,
      { file: config.file, path: ['model', 'output'] },
    );
  }
  const duck = await openDuck(2, [...declaredFiles(config), ...writable], config.dir);
  try {
    const data = await describeData(duck, config);
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
