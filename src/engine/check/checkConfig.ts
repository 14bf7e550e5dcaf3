/**
 * Every problem of a reclens.json, each with its exact range and, where one exists, a quick fix: schema and files
 * (loadConfig), then the model, data, tables and input plan (collecting all problems, not just the first), label
 * values, table key coverage, preference windows, and optionally a target-leakage scan on a sample.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../config/loadConfig';
import type { Problem } from '../config/problems';
import type { RecLensConfig } from '../config/types';
import { DataDescription, describeColumns, describeData, typeClass } from '../data/describe';
import { dataWarnings } from '../data/dataWarnings';
import { Duck, openDuck, readExpression, sqlIdent } from '../data/duck';
import { InputPlan, PlannedInput, planInputs } from '../data/inputPlan';
import { applyFilter, whereClause } from '../data/whereClause';
import { declaredFiles } from '../config/declaredFiles';
import { normaliseKey } from '../data/keys';
import { LookupTable, loadTable } from '../data/tables';
import { RecLensError } from '../errors';
import { timeExpression } from '../lis/evalKeys';
import { cachedByFile } from '../util/fileCache';
import { relativePaths } from '../util/messagePaths';
import { readOnnx } from '../model/inspect';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { rankNames } from '../util/suggest';
import { addInputFix, Fix, removeInputFix, replaceStringFix } from './fixes';
import { type At, candidateFixes, outputRangeCheck, sideFileChecks, slotChecks } from './jobChecks';
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
  /** Run the model on the first rows to check a "probability" output stays in [0, 1] (only where execution is allowed). */
  sampleOutput?: boolean;
}

/** Every problem of a config text, its messages naming files relative to the config's folder. */
export async function checkConfigText(text: string, file: string, opts: CheckOptions = {}): Promise<CheckedProblem[]> {
  const dir = path.dirname(path.resolve(file));
  return (await checkProblems(text, file, opts)).map((p) => ({ ...p, message: relativePaths(p.message, dir) }));
}

async function checkProblems(text: string, file: string, opts: CheckOptions): Promise<CheckedProblem[]> {
  const loaded = parseConfig(text, file);
  const problems: CheckedProblem[] = [...loaded.problems];
  const config = loaded.config;
  // Schema errors leave their sections out of `config`; the model, data and input checks still run on the rest.
  if (!config) return problems;
  // Entries left out of `config` (a schema error, an unknown table) are reported where they are, not as "not fed".
  const schemaBroken = new Set(Object.keys((config.raw.inputs ?? {}) as object).filter((n) => !(n in config.inputs)));
  const at: At = (severity, code, p, message, fixes, key = false) => {
    problems.push({ severity, code, message, file: config.file, ...loaded.locator.rangeOf(p, key), path: p, fixes });
  };
  const fromError = (e: unknown, fallbackPath: (string | number)[], code: string): void => {
    if (!(e instanceof RecLensError)) throw e;
    const p = e.where.path ?? fallbackPath;
    const fixes: Fix[] = [];
    const isEntryKey =
      p.length === 2 && p[0] === 'inputs' && !e.where.unfedInput && /has no input of that name/.test(e.message);
    // The top candidates by the shared name scorer (the editor adds "list all columns").
    if (e.where.unfedInput)
      fixes.push(
        ...rankNames(e.where.unfedInput, columnNames)
          .slice(0, 3)
          .map((r) => addInputFix(text, e.where.unfedInput!, r.name)),
      );
    else if (e.where.replacement) {
      const current = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true })!, p);
      const ranked =
        !isEntryKey && typeof current?.value === 'string' && columnNames.length
          ? candidateFixes(text, p, current.value, columnNames)
          : [];
      const first = replaceStringFix(text, p, e.where.replacement, isEntryKey);
      fixes.push(...(ranked.length ? ranked : first ? [first] : []));
    }
    if (isEntryKey) fixes.push(removeInputFix(text, String(p[1])));
    at('error', code, p, e.message, fixes.length ? fixes : undefined, isEntryKey);
  };

  let columnNames: string[] = [];
  // A missing model or data file is already reported (loadConfig); the checks that need it are skipped.
  if (!fs.existsSync(config.data.path)) return problems;
  let graph;
  if (fs.existsSync(config.model.path))
    try {
      graph = await cachedByFile('onnx', config.model.path, () => readOnnx(config.model.path));
    } catch (e) {
      fromError(e, typeof config.raw.model === 'string' ? ['model'] : ['model', 'path'], 'model');
    }
  if (graph && opts.loadModel) {
    const reason = await cachedByFile('load', config.model.path, () => opts.loadModel!(config.model.path));
    if (reason)
      at(
        'error',
        'model-load',
        typeof config.raw.model === 'string' ? ['model'] : ['model', 'path'],
        `onnxruntime cannot load ${config.model.path}: ${reason}`,
      );
  }
  let duck: Duck;
  try {
    duck = await openDuck(1, declaredFiles(config), config.dir);
  } catch (e) {
    fromError(e, ['data', 'path'], 'data'); // a declared file that is not a regular file
    return problems;
  }
  try {
    let columns;
    let description: DataDescription;
    try {
      description = await cachedByFile(
        `data:${config.data.group ?? ''}:${config.data.filter ?? ''}`,
        config.data.path,
        () => describeData(duck, config),
      );
      columns = description.columns;
      await applyFilter(
        duck,
        config,
        columns.map((c) => c.name),
      ); // a cached description skipped it
    } catch (e) {
      fromError(e, ['data', 'path'], 'data');
      return problems;
    }
    columnNames = columns.map((c) => c.name);
    const tables: Record<string, LookupTable> = {};
    for (const [name, spec] of Object.entries(config.tables)) {
      try {
        tables[name] = await loadTable(duck, spec);
      } catch (e) {
        fromError(e, ['tables', name, 'path'], 'table');
      }
    }
    for (const p of checkSlices(config.slices ?? [], columns)) at('error', p.code, p.path, p.message);
    if (!config.data.group)
      at(
        'information',
        'no-group',
        ['data'],
        'No data.group column: GAUC is disabled and bootstrap intervals resample rows instead of users.',
      );
    if (!graph) return problems;
    const model = graph.inspection;
    const collected: RecLensError[] = [];
    const plan = await planInputs(duck, config, model.inputs, columns, tables, collected);
    for (const e of collected) {
      // An entry with a schema error is reported there, not again as "not fed".
      if (e.where.unfedInput && schemaBroken.has(e.where.unfedInput)) continue;
      fromError(e, ['inputs'], e.where.unfedInput ? 'unfed-input' : 'input');
    }
    // What eval and ablate would refuse, check reports too (slot inputs are checked in jobChecks), and NULL features.
    await nullFeatures(duck, config, plan, at);
    // The warnings every job gives too (NULL groups, a label written as words), in the same words.
    for (const w of await dataWarnings(duck, config, description)) at('warning', w.code, w.path, w.message);
    await labelCheck(duck, config, columns, at);
    await keyCoverage(duck, config, tables, at);
    await preferenceWindows(duck, config, at);
    slotChecks(text, config, model, at);
    await sideFileChecks(duck, text, config, at);
    if (opts.sampleOutput && !problems.some((p) => p.severity === 'error')) {
      try {
        await outputRangeCheck(text, config, config.model.output ?? model.outputs[0]?.name, at);
      } catch (e) {
        fromError(e, ['model'], 'model-run');
      }
    }
  } finally {
    duck.close();
  }
  // The scan needs a valid label and inputs; with errors above its findings would be noise.
  if (opts.leakage && !problems.some((p) => p.severity === 'error'))
    problems.push(...(await leakageProblems(text, file, opts)));
  return problems;
}

/**
 * The sampled target-leakage scan alone, for a config the other checks found no error in (the editor runs it in
 * the background after publishing those checks, without running them again).
 */
export async function leakageProblems(
  text: string,
  file: string,
  opts: Pick<CheckOptions, 'sampleRows' | 'signal'> = {},
): Promise<CheckedProblem[]> {
  const loaded = parseConfig(text, file);
  const config = loaded.config;
  if (!config) return [];
  const graph = await cachedByFile('onnx', config.model.path, () => readOnnx(config.model.path));
  const inputs = graph.graph.inputs.map((i) => i.name);
  const duck = await openDuck(1, declaredFiles(config), config.dir);
  try {
    const findings = await scanLeakage(duck, config, inputs, opts.sampleRows, opts.signal);
    return findings.map((f) => {
      const slot = config.slots.find((s) => s.inputs.includes(f.input));
      const p = slot ? ['slots', slot.name] : config.inputs[f.input] ? ['inputs', f.input] : ['inputs'];
      return {
        severity: 'warning',
        code: 'target-leakage',
        file: config.file,
        ...loaded.locator.rangeOf(p, true),
        path: p,
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

/** Columns feeding inputs without fillNull: any NULL there stops eval, so check says so first. */
async function nullFeatures(duck: Duck, config: RecLensConfig, plan: InputPlan, at: At): Promise<void> {
  const cols: { input: PlannedInput; column: string }[] = [];
  for (const inp of plan.inputs) {
    if (inp.source.kind === 'columns' && inp.source.fillNull === undefined)
      for (const c of inp.source.columns) cols.push({ input: inp, column: c });
  }
  if (cols.length === 0) return;
  const counts = cols
    .map((c, i) => `count(*) FILTER (WHERE ${sqlIdent(c.column)} IS NULL)::BIGINT AS n${i}`)
    .join(', ');
  const r = (
    await duck.conn.runAndReadAll(`SELECT ${counts} FROM ${readExpression(config.data.path)}${whereClause(config)}`)
  ).getRowObjects()[0];
  cols.forEach((c, i) => {
    const n = Number(r[`n${i}`]);
    if (n > 0)
      at(
        'error',
        'null-feature',
        c.input.configPath,
        `${n.toLocaleString('en-US')} ${n === 1 ? 'row has' : 'rows have'} a NULL in column "${c.column}", which feeds model input "${c.input.name}"; eval stops at the first. Fill the nulls in the data, or set "fillNull" on inputs.${c.input.name}.`,
      );
  });
}

/** DuckDB's CSV sniffer reads yes/no (and y/n, on/off) as booleans: say so rather than take them silently. */
async function labelCheck(
  duck: Duck,
  config: RecLensConfig,
  columns: { name: string; type: string }[],
  at: At,
): Promise<void> {
  const label = columns.find((c) => c.name === config.data.label);
  if (!label || !['integer', 'float', 'boolean'].includes(typeClass(label.type))) return;
  const l = sqlIdent(label.name);
  const r = (
    await duck.conn.runAndReadAll(
      `SELECT count(*) FILTER (WHERE ${l} IS NULL OR CAST(${l} AS DOUBLE) NOT IN (0, 1))::BIGINT AS bad, any_value(CAST(${l} AS DOUBLE)) FILTER (WHERE CAST(${l} AS DOUBLE) NOT IN (0, 1)) AS example, count(DISTINCT ${l})::BIGINT AS distinct FROM ${readExpression(config.data.path)}${whereClause(config)}`,
    )
  ).getRowObjects()[0];
  if (Number(r.bad) > 0)
    at(
      'error',
      'label-not-binary',
      ['data', 'label'],
      `Label column "${label.name}" is not binary: ${Number(r.bad).toLocaleString('en-US')} rows hold other values or nulls${r.example !== null ? ` (e.g. ${r.example})` : ''}. Use a 0/1 column, e.g. derive rating >= 4.`,
    );
  else if (Number(r.distinct) < 2)
    at(
      'error',
      'label-one-class',
      ['data', 'label'],
      `Label column "${label.name}" has one class only; AUC needs positives and negatives.`,
    );
}

async function keyCoverage(
  duck: Duck,
  config: RecLensConfig,
  tables: Record<string, LookupTable>,
  at: At,
): Promise<void> {
  for (const [input, spec] of Object.entries(config.inputs)) {
    if (spec.kind !== 'table' || !tables[spec.table]) continue;
    try {
      const r = await duck.conn.runAndReadAll(
        `SELECT DISTINCT ${sqlIdent(spec.key)} AS k FROM ${readExpression(config.data.path)}`,
      );
      const keys = r.getColumns()[0];
      const t = tables[spec.table];
      const missing = keys.filter((k) => k === null || !t.index.has(normaliseKey(k))).length;
      const share = keys.length ? missing / keys.length : 0;
      if (share > 0.05)
        at(
          'warning',
          'table-missing-keys',
          ['inputs', input, 'key'],
          `${(100 * share).toFixed(1)}% of the distinct "${spec.key}" values (${missing.toLocaleString('en-US')} of ${keys.length.toLocaleString('en-US')}) are not in table "${spec.table}"; those rows get the table's fallback vector.`,
        );
    } catch {
      /* the plan already reported an unknown key column */
    }
  }
}

async function preferenceWindows(duck: Duck, config: RecLensConfig, at: At): Promise<void> {
  const prefs = (config.raw.preferences ?? {}) as Record<string, { pairs?: string; interactions?: string }>;
  if (Object.keys(prefs).length === 0 || !config.data.time) return;
  let evalStart: number;
  try {
    const type = (await describeColumns(duck, config.data.path)).find((c) => c.name === config.data.time)!.type;
    evalStart = Number(
      (
        await duck.conn.runAndReadAll(
          `SELECT min(${timeExpression(config.data.time, type)}) AS t FROM ${readExpression(config.data.path)}`,
        )
      ).getRowObjects()[0].t,
    );
  } catch {
    return;
  }
  for (const [name, spec] of Object.entries(prefs)) {
    if (spec.pairs) {
      const file = path.resolve(config.dir, spec.pairs);
      if (!fs.existsSync(file)) {
        at('error', 'missing-file', ['preferences', name, 'pairs'], `Pairs file "${spec.pairs}" does not exist.`);
        continue;
      }
      const cols = await describeColumns(duck, file);
      const has = (c: string) => cols.find((x) => x.name === c);
      // docs/metrics.md 3b: only per-event rows (user, time) or a first_time column split P_hist without the future.
      const split = has('user') && has('time') ? has('time')! : has('first_time');
      if (!has('user'))
        at(
          'information',
          'preference-self-leak',
          ['preferences', name],
          `Pairs of "${name}" have no "user" column (one row per user and pair), so LIS cannot leave the row's own user out of them: its LIS may count the rows' own labels. Add a "user" column to correct it.`,
          undefined,
          true,
        );
      if (!split) {
        at(
          'warning',
          'preference-untimed',
          ['preferences', name],
          has('time')
            ? `Pairs of "${name}" have one "time" per aggregated pair; choosing historical pairs by it would use the future, so RecLens shows no honest value for them. Add a "first_time" column, or one row per user and event (user, time).`
            : `Pairs of "${name}" carry no time, so RecLens cannot split off a historical version and shows no honest value for them. Add a "first_time" column, or one row per user and event (user, time).`,
          undefined,
          true,
        );
        continue;
      }
      const r = (
        await duck.conn.runAndReadAll(
          `SELECT count(*) FILTER (WHERE ${timeExpression(split.name, split.type)} >= ${evalStart})::BIGINT AS leaked, count(*)::BIGINT AS n FROM ${readExpression(file)}`,
        )
      ).getRowObjects()[0];
      if (Number(r.leaked) > 0)
        at(
          'information',
          'preference-leaked',
          ['preferences', name],
          `"${name}": ${Number(r.leaked).toLocaleString('en-US')} of ${Number(r.n).toLocaleString('en-US')} pair rows were formed in the evaluation period: leaked, measured as the LIS upper bound; the honest value uses only pairs formed before it.`,
          undefined,
          true,
        );
    } else {
      at(
        'information',
        'preference-leaked',
        ['preferences', name],
        `"${name}" is built from interactions that include the evaluation period: its leaked version is measured as the LIS upper bound; the honest value uses only pairs formed before the evaluation start.`,
        undefined,
        true,
      );
    }
  }
}
