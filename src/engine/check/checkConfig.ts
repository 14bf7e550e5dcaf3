/**
 * Every problem of a reclens.json, each with its exact range and, where one exists, a quick fix: schema and files
 * (loadConfig), then the model, data, tables and input plan (collecting all problems, not just the first), label
 * values, table key coverage, preference windows, and optionally a target-leakage scan on a sample.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../config/loadConfig';
import type { Problem, Severity } from '../config/problems';
import type { RecLensConfig } from '../config/types';
import { describeColumns, describeData, typeClass } from '../data/describe';
import { Duck, openDuck, readExpression, sqlIdent } from '../data/duck';
import { planInputs } from '../data/inputPlan';
import { normaliseKey } from '../data/keys';
import { LookupTable, loadTable } from '../data/tables';
import { RecLensError } from '../errors';
import { timeExpression } from '../lis/evalKeys';
import { cachedByFile } from '../util/fileCache';
import { inspectGraph, readOnnx } from '../model/inspect';
import { addInputFix, Fix, removeInputFix, replaceStringFix } from './fixes';
import { scanLeakage } from './leakage';
import { checkSlices } from '../slices/check';

export interface CheckedProblem extends Problem {
  fixes?: Fix[];
}

export interface CheckOptions {
  /** Run the sampled target-leakage scan (slower; the editor runs it in the background). */
  leakage?: boolean;
  sampleRows?: number;
  signal?: AbortSignal;
  /** Also try to load the model with onnxruntime (the CLI does; the editor only in trusted workspaces). */
  loadModel?: (modelFile: string) => Promise<string | undefined>;
}

export async function checkConfigText(text: string, file: string, opts: CheckOptions = {}): Promise<CheckedProblem[]> {
  const loaded = parseConfig(text, file);
  const problems: CheckedProblem[] = [...loaded.problems];
  const config = loaded.config;
  if (!config || problems.some((p) => p.severity === 'error')) return problems;
  const at = (severity: Severity, code: string, p: (string | number)[], message: string, fixes?: Fix[], key = false): void => {
    problems.push({ severity, code, message, file: config.file, ...loaded.locator.rangeOf(p, key), path: p, fixes });
  };
  const fromError = (e: unknown, fallbackPath: (string | number)[], code: string): void => {
    if (!(e instanceof RecLensError)) throw e;
    const p = e.where.path ?? fallbackPath;
    const fixes: Fix[] = [];
    const isEntryKey = p.length === 2 && p[0] === 'inputs' && !e.where.unfedInput && /has no input of that name/.test(e.message);
    if (e.where.unfedInput && e.where.replacement) fixes.push(addInputFix(text, e.where.unfedInput, e.where.replacement));
    else if (e.where.replacement) { const f = replaceStringFix(text, p, e.where.replacement, isEntryKey); if (f) fixes.push(f); }
    if (isEntryKey) fixes.push(removeInputFix(text, String(p[1])));
    at('error', code, p, e.message, fixes.length ? fixes : undefined, isEntryKey);
  };

  let graph;
  try {
    graph = await cachedByFile('onnx', config.model.path, () => readOnnx(config.model.path));
  } catch (e) {
    fromError(e, typeof config.raw.model === 'string' ? ['model'] : ['model', 'path'], 'model');
  }
  if (graph && opts.loadModel) {
    const reason = await cachedByFile('load', config.model.path, () => opts.loadModel!(config.model.path));
    if (reason) at('error', 'model-load', typeof config.raw.model === 'string' ? ['model'] : ['model', 'path'], `onnxruntime cannot load ${config.model.path}: ${reason}`);
  }
  const duck = await openDuck(1);
  try {
    let columns;
    try {
      columns = (await cachedByFile(`data:${config.data.filter ?? ''}`, config.data.path, () => describeData(duck, config.data.path, config.data.filter))).columns;
    } catch (e) {
      fromError(e, ['data', 'path'], 'data');
      return problems;
    }
    const tables: Record<string, LookupTable> = {};
    for (const [name, spec] of Object.entries(config.tables)) {
      try { tables[name] = await loadTable(duck, spec); } catch (e) { fromError(e, ['tables', name, 'path'], 'table'); }
    }
    for (const p of checkSlices(config.slices ?? [], columns)) at('error', p.code, p.path, p.message);
    if (!config.data.group) at('information', 'no-group', ['data'], 'No data.group column: GAUC is disabled and bootstrap intervals resample rows instead of users.');
    if (!graph) return problems;
    const model = inspectGraph(config.model.path, graph.bytes.length, graph.graph);
    const collected: RecLensError[] = [];
    await planInputs(duck, config, model.inputs, columns, tables, collected);
    for (const e of collected) fromError(e, ['inputs'], e.where.unfedInput ? 'unfed-input' : 'input');
    await labelCheck(duck, config, columns, at);
    await keyCoverage(duck, config, tables, at);
    await preferenceWindows(duck, config, at);
  } finally {
    duck.close();
  }
  // The scan needs a valid label and inputs; with errors above its findings would be noise.
  if (opts.leakage && !problems.some((p) => p.severity === 'error')) problems.push(...(await leakageProblems(text, file, opts)));
  return problems;
}

/**
 * The sampled target-leakage scan alone, for a config the other checks found no error in (the editor runs it in
 * the background after publishing those checks, without running them again).
 */
export async function leakageProblems(text: string, file: string, opts: Pick<CheckOptions, 'sampleRows' | 'signal'> = {}): Promise<CheckedProblem[]> {
  const loaded = parseConfig(text, file);
  const config = loaded.config;
  if (!config) return [];
  const graph = await cachedByFile('onnx', config.model.path, () => readOnnx(config.model.path));
  const inputs = graph.graph.inputs.map((i) => i.name);
  const duck = await openDuck(1);
  try {
    const findings = await scanLeakage(duck, config, inputs, opts.sampleRows, opts.signal);
    return findings.map((f) => {
      const slot = config.slots.find((s) => s.inputs.includes(f.input));
      const p = slot ? ['slots', slot.name] : config.inputs[f.input] ? ['inputs', f.input] : ['inputs'];
      return {
        severity: 'warning', code: 'target-leakage', file: config.file, ...loaded.locator.rangeOf(p, true), path: p,
        message: `Possible target leakage in ${slot ? `slot "${slot.name}"` : `input "${f.input}"`}: column "${f.column}" alone ${f.transformOfLabel ? 'equals a transform of the label (each of its values comes with one label)' : `ranks the label with AUC ${f.auc.toFixed(3)}`} on ${f.sampleRows.toLocaleString('en-US')} sampled rows. Check that it is known at prediction time.`,
      };
    });
  } finally {
    duck.close();
  }
}

/** Problems in reading order, as a compiler lists them. */
export function sortProblems<T extends Problem>(problems: T[]): T[] {
  return problems.sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column);
}

export async function checkConfigFile(file: string, opts: CheckOptions = {}): Promise<CheckedProblem[]> {
  return sortProblems(await checkConfigText(fs.readFileSync(file, 'utf8'), file, opts));
}

type At = (severity: Severity, code: string, p: (string | number)[], message: string, fixes?: Fix[], key?: boolean) => void;

async function labelCheck(duck: Duck, config: RecLensConfig, columns: { name: string; type: string }[], at: At): Promise<void> {
  const label = columns.find((c) => c.name === config.data.label);
  if (!label || !['integer', 'float', 'boolean'].includes(typeClass(label.type))) return;
  const l = sqlIdent(label.name);
  const r = (await duck.conn.runAndReadAll(`SELECT count(*) FILTER (WHERE ${l} IS NULL OR CAST(${l} AS DOUBLE) NOT IN (0, 1))::BIGINT AS bad, any_value(CAST(${l} AS DOUBLE)) FILTER (WHERE CAST(${l} AS DOUBLE) NOT IN (0, 1)) AS example, count(DISTINCT ${l})::BIGINT AS distinct FROM ${readExpression(config.data.path)}${config.data.filter ? ` WHERE ${config.data.filter}` : ''}`)).getRowObjects()[0];
  if (Number(r.bad) > 0) at('error', 'label-not-binary', ['data', 'label'], `Label column "${label.name}" is not binary: ${Number(r.bad).toLocaleString('en-US')} rows hold other values or nulls${r.example !== null ? ` (e.g. ${r.example})` : ''}. Use a 0/1 column, e.g. derive rating >= 4.`);
  else if (Number(r.distinct) < 2) at('error', 'label-one-class', ['data', 'label'], `Label column "${label.name}" has one class only; AUC needs positives and negatives.`);
}

async function keyCoverage(duck: Duck, config: RecLensConfig, tables: Record<string, LookupTable>, at: At): Promise<void> {
  for (const [input, spec] of Object.entries(config.inputs)) {
    if (spec.kind !== 'table' || !tables[spec.table]) continue;
    try {
      const r = await duck.conn.runAndReadAll(`SELECT DISTINCT ${sqlIdent(spec.key)} AS k FROM ${readExpression(config.data.path)}`);
      const keys = r.getColumns()[0];
      const t = tables[spec.table];
      const missing = keys.filter((k) => k === null || !t.index.has(normaliseKey(k))).length;
      const share = keys.length ? missing / keys.length : 0;
      if (share > 0.05) at('warning', 'table-missing-keys', ['inputs', input, 'key'], `${(100 * share).toFixed(1)}% of the distinct "${spec.key}" values (${missing.toLocaleString('en-US')} of ${keys.length.toLocaleString('en-US')}) are not in table "${spec.table}"; those rows get the table's fallback vector.`);
    } catch { /* the plan already reported an unknown key column */ }
  }
}

async function preferenceWindows(duck: Duck, config: RecLensConfig, at: At): Promise<void> {
  const prefs = (config.raw.preferences ?? {}) as Record<string, { pairs?: string; interactions?: string }>;
  if (Object.keys(prefs).length === 0 || !config.data.time) return;
  let evalStart: number;
  try {
    const type = (await describeColumns(duck, config.data.path)).find((c) => c.name === config.data.time)!.type;
    evalStart = Number((await duck.conn.runAndReadAll(`SELECT min(${timeExpression(config.data.time, type)}) AS t FROM ${readExpression(config.data.path)}`)).getRowObjects()[0].t);
  } catch {
    return;
  }
  for (const [name, spec] of Object.entries(prefs)) {
    if (spec.pairs) {
      const file = path.resolve(config.dir, spec.pairs);
      if (!fs.existsSync(file)) { at('error', 'missing-file', ['preferences', name, 'pairs'], `Pairs file "${spec.pairs}" does not exist.`); continue; }
      const cols = await describeColumns(duck, file);
      const time = cols.find((c) => c.name === 'time');
      if (!time) {
        at('warning', 'preference-untimed', ['preferences', name], `Pairs of "${name}" carry no time column, so RecLens cannot split off a historical version: the honest value would use every pair, including any formed in the evaluation period. Add a "time" column (when the pair was formed).`, undefined, true);
        continue;
      }
      const r = (await duck.conn.runAndReadAll(`SELECT count(*) FILTER (WHERE ${timeExpression('time', time.type)} >= ${evalStart})::BIGINT AS leaked, count(*)::BIGINT AS n FROM ${readExpression(file)}`)).getRowObjects()[0];
      if (Number(r.leaked) > 0) at('information', 'preference-leaked', ['preferences', name], `"${name}": ${Number(r.leaked).toLocaleString('en-US')} of ${Number(r.n).toLocaleString('en-US')} pairs were formed in the evaluation period: leaked, measured as the LIS upper bound; the honest value uses only pairs formed before it.`, undefined, true);
    } else {
      at('information', 'preference-leaked', ['preferences', name], `"${name}" is built from interactions that include the evaluation period: its leaked version is measured as the LIS upper bound; the honest value uses only pairs formed before the evaluation start.`, undefined, true);
    }
  }
}
