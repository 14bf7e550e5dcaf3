/**
 * Reads reclens.json (JSONC), validates it against the committed JSON Schema, checks what can be checked
 * without opening the model or data (files exist, tables referenced exist), and resolves paths and defaults.
 * Every problem carries the field's line and column.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject } from 'ajv';
import { getNodeValue, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { inputError } from '../errors';
import { JsonLocator } from './jsonLocator';
import { formatProblem, Problem, Severity } from './problems';
import {
  DEFAULT_BATCH_SIZE, DEFAULT_PROVIDERS, InputSpec, RecLensConfig, SlotSpec, TableFallback, TableSpec,
} from './types';
import schema = require('./reclens.schema.json');

export const SUPPORTED_DATA_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.jsonl', '.ndjson', '.json'];

export interface LoadedConfig {
  config?: RecLensConfig;
  problems: Problem[];
  locator: JsonLocator;
  text: string;
}

let compiledSchema: ReturnType<Ajv['compile']> | undefined;
function validator() {
  if (!compiledSchema) compiledSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return compiledSchema;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turns Ajv's errors into one readable problem per offending field (the deepest ones; oneOf noise merged). */
function schemaProblems(errors: ErrorObject[], file: string, loc: JsonLocator): Problem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  if (byPath.size === 0 && errors.length > 0) byPath.set(errors[0].instancePath, [errors[0]]);
  const paths = [...byPath.keys()];
  // Keep only the deepest paths: an error inside an object explains the parent's oneOf failure.
  const leaves = paths.filter((p) => !paths.some((q) => q !== p && q.startsWith(p + '/')));
  const out: Problem[] = [];
  for (const p of leaves) {
    const errs = byPath.get(p)!;
    const fieldPath = pointerToPath(p);
    const label = fieldPath.length ? fieldPath.join('.') : 'the config';
    const extra = errs.find((e) => e.keyword === 'additionalProperties');
    if (extra) {
      const name = (extra.params as { additionalProperty: string }).additionalProperty;
      const range = loc.rangeOf([...fieldPath, name], true);
      out.push({
        severity: 'error', code: 'unknown-key', file, ...range, path: [...fieldPath, name],
        message: `Unknown key "${name}" in ${label}. Remove it or check its spelling against the schema.`,
      });
      continue;
    }
    const messages = [...new Set(errs.map((e) => {
      if (e.keyword === 'enum') return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      return e.message ?? 'is invalid';
    }))];
    out.push({
      severity: 'error', code: 'schema', file, ...loc.rangeOf(fieldPath), path: fieldPath,
      message: `${label} ${messages.join(', or ')}.`,
    });
  }
  return out;
}

/** Parse and validate a config text. Never throws for bad content: problems describe it. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const absFile = path.resolve(file);
  const dir = path.dirname(absFile);
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const loc = new JsonLocator(text, root);
  const problems: Problem[] = [];
  const add = (severity: Severity, code: string, p: (string | number)[], message: string) =>
    problems.push({ severity, code, message, file: absFile, ...loc.rangeOf(p), path: p });

  for (const e of parseErrors) {
    const start = loc.positionAt(e.offset);
    problems.push({
      severity: 'error', code: 'syntax', file: absFile, start, end: loc.positionAt(e.offset + Math.max(1, e.length)), path: [],
      message: `JSON syntax error: ${printParseErrorCode(e.error)}. Fix the text at this position (comments and trailing commas are allowed).`,
    });
  }
  if (!root || parseErrors.length) return { problems, locator: loc, text };
  const raw = getNodeValue(root) as Record<string, any>;
  const validate = validator();
  if (!validate(raw)) problems.push(...schemaProblems(validate.errors ?? [], absFile, loc));
  if (problems.some((p) => p.severity === 'error')) return { problems, locator: loc, text };

  const resolve = (p: string) => path.resolve(dir, p);
  const checkFile = (p: (string | number)[], rel: string, what: string) => {
    if (!fs.existsSync(resolve(rel))) add('error', 'missing-file', p, `${what} "${rel}" does not exist (looked for ${resolve(rel)}). Fix the path; it is relative to the config file.`);
  };

  const modelRaw = typeof raw.model === 'string' ? { path: raw.model } : raw.model;
  const modelPath: (string | number)[] = typeof raw.model === 'string' ? ['model'] : ['model', 'path'];
  checkFile(modelPath, modelRaw.path, 'Model file');
  if (!modelRaw.path.toLowerCase().endsWith('.onnx')) add('warning', 'model-extension', modelPath, `Model "${modelRaw.path}" does not end in .onnx; RecLens runs ONNX models only.`);

  checkFile(['data', 'path'], raw.data.path, 'Data file');
  const ext = path.extname(raw.data.path).toLowerCase();
  if (!SUPPORTED_DATA_EXTENSIONS.includes(ext)) add('error', 'data-format', ['data', 'path'], `Data file "${raw.data.path}" has an unsupported extension "${ext}". Use one of ${SUPPORTED_DATA_EXTENSIONS.join(', ')}.`);

  const tables: Record<string, TableSpec> = {};
  for (const [name, t] of Object.entries<any>(raw.tables ?? {})) {
    checkFile(['tables', name, 'path'], t.path, `Table "${name}" file`);
    if (t.ids) checkFile(['tables', name, 'ids'], t.ids, `Table "${name}" ids file`);
    const tExt = path.extname(t.path).toLowerCase();
    if (tExt !== '.npy' && tExt !== '.parquet') add('error', 'table-format', ['tables', name, 'path'], `Table "${name}" must be a .npy or .parquet file, not "${tExt}".`);
    tables[name] = {
      name, path: resolve(t.path), ids: t.ids ? resolve(t.ids) : undefined,
      idColumn: t.idColumn ?? 'id', vectorColumn: t.vectorColumn ?? 'vector',
      fallback: (t.fallback ?? 'zeros') as TableFallback,
    };
  }

  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries<any>(raw.inputs ?? {})) {
    if ('table' in spec) {
      if (!tables[spec.table]) {
        const known = Object.keys(tables);
        add('error', 'unknown-table', ['inputs', name, 'table'], `Input "${name}" uses table "${spec.table}", which is not defined under "tables"${known.length ? ` (defined: ${known.join(', ')})` : ''}.`);
      }
      inputs[name] = { kind: 'table', table: spec.table, key: spec.key };
    } else if ('columns' in spec) inputs[name] = { kind: 'columns', columns: spec.columns, fillNull: spec.fillNull };
    else inputs[name] = { kind: 'column', column: spec.column, fillNull: spec.fillNull };
  }

  const slots: SlotSpec[] = Object.entries<any>(raw.slots ?? {}).map(([name, s]) => ({
    name, inputs: s.inputs, neutral: s.neutral, description: s.description,
  }));

  const config: RecLensConfig = {
    file: absFile, dir, name: raw.name,
    model: { path: resolve(modelRaw.path), output: modelRaw.output, outputKind: modelRaw.outputKind ?? 'probability' },
    data: { ...raw.data, path: resolve(raw.data.path) },
    tables, inputs, slots,
    slices: Object.entries<any>(raw.slices ?? {}).map(([name, s]) => ({ name, where: s.where, description: s.description })),
    runtime: {
      executionProviders: raw.runtime?.executionProviders ?? DEFAULT_PROVIDERS,
      batchSize: raw.runtime?.batchSize ?? DEFAULT_BATCH_SIZE,
      threads: raw.runtime?.threads ?? 0,
    },
    raw,
  };
  return { config, problems, locator: loc, text };
}

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError(`Config file "${file}" cannot be read (${(e as NodeJS.ErrnoException).code ?? e}). Check the path, or create one with "reclens init".`, { file });
  }
  return parseConfig(text, file);
}

/** Load a config for a command; errors become one exit-2 message listing every error with its position. */
export function requireConfig(file: string): { config: RecLensConfig; loaded: LoadedConfig } {
  const loaded = loadConfig(file);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length || !loaded.config) {
    const first = errors[0];
    throw inputError(
      `Config ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` + errors.map((p) => '  ' + formatProblem(p)).join('\n'),
      { file, line: first?.start.line, column: first?.start.column },
    );
  }
  return { config: loaded.config, loaded };
}
