/* eslint-disable @typescript-eslint/no-explicit-any -- walks the raw config JSON (already checked against the schema) field by field */
/**
 * Reads reclens.json (JSONC), validates it against the committed JSON Schema, checks what can be checked
 * without opening the model or data (files exist, tables referenced exist), and resolves paths and defaults.
 * Every problem carries the field's line and column.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject } from 'ajv';
import { getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { inputError } from '../errors';
import { contained, outsideMessage } from '../util/fileRoots';
import { maxFileBytes, shownPath } from '../util/safeFile';
import { JsonLocator } from './jsonLocator';
import { formatProblem, Problem, Severity } from './problems';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_PROVIDERS,
  InputSpec,
  RecLensConfig,
  SlotSpec,
  TableFallback,
  TableSpec,
} from './types';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- TypeScript's import-equals form, so the schema is bundled as JSON
import schema = require('./reclens.schema.json');

export const SUPPORTED_DATA_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.jsonl', '.ndjson', '.json'];

export interface LoadedConfig {
  config?: RecLensConfig;
  problems: Problem[];
  locator: JsonLocator;
  text: string;
}

/** A config is a page of JSON; larger or deeper text is refused before parsing (the parser recurses per level). */
export const MAX_CONFIG_BYTES = 1 << 20;
const MAX_DEPTH = 32;
/** Names, paths and filters fit in this; a longer string is refused without being echoed. */
export const MAX_STRING = 4096;

function shapeProblem(text: string): string | undefined {
  if (text.length > MAX_CONFIG_BYTES)
    return `The config is ${(text.length / 2 ** 20).toFixed(1)} MiB; a reclens.json is at most 1 MiB. Check that this is the right file.`;
  let depth = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH)
        return `The config nests objects or arrays deeper than ${MAX_DEPTH} levels; a reclens.json needs a handful. Check that this is the right file.`;
    } else if (c === 125 || c === 93) depth--;
  }
  return undefined;
}

function hostileNodes(root: Node): { code: string; path: (string | number)[]; message: string }[] {
  const out: { code: string; path: (string | number)[]; message: string }[] = [];
  const walk = (n: Node, p: (string | number)[]) => {
    if (n.type === 'string' && typeof n.value === 'string' && n.value.length > MAX_STRING) {
      out.push({
        code: 'too-long',
        path: p,
        message: `${p.join('.') || 'A value'} is a string of ${n.value.length.toLocaleString('en-US')} characters; names, paths and filters are at most ${MAX_STRING.toLocaleString('en-US')}.`,
      });
    }
    if (n.type === 'object')
      for (const prop of n.children ?? []) {
        const key = prop.children?.[0]?.value;
        if (typeof key !== 'string') continue;
        if (key === '__proto__' || key === 'constructor' || key === 'prototype')
          out.push({
            code: 'reserved-name',
            path: [...p, key],
            message: `"${key}" cannot be used as a name in reclens.json (it is reserved in JavaScript objects). Rename it.`,
          });
        else if (key.length > MAX_STRING)
          out.push({
            code: 'too-long',
            path: p,
            message: `${p.join('.') || 'The config'} has a key of ${key.length.toLocaleString('en-US')} characters; names are at most ${MAX_STRING.toLocaleString('en-US')}.`,
          });
        else if (prop.children?.[1]) walk(prop.children[1], [...p, key]);
      }
    if (n.type === 'array') (n.children ?? []).forEach((c, i) => walk(c, [...p, i]));
  };
  walk(root, []);
  return out.slice(0, 20);
}

let compiledSchema: ReturnType<Ajv['compile']> | undefined;
function validator() {
  if (!compiledSchema) compiledSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return compiledSchema;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
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
        severity: 'error',
        code: 'unknown-key',
        file,
        ...range,
        path: [...fieldPath, name],
        message: `Unknown key "${name}" in ${label}. Remove it or check its spelling against the schema.`,
      });
      continue;
    }
    const messages = [
      ...new Set(
        errs.map((e) => {
          if (e.keyword === 'enum')
            return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
          return e.message ?? 'is invalid';
        }),
      ),
    ];
    out.push({
      severity: 'error',
      code: 'schema',
      file,
      ...loc.rangeOf(fieldPath),
      path: fieldPath,
      message: `${label} ${messages.join(', or ')}.`,
    });
  }
  return out;
}

/** Parse and validate a config text. Never throws for bad content: problems describe it. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const absFile = path.resolve(file);
  const dir = path.dirname(absFile);
  const tooBig = shapeProblem(text);
  if (tooBig) {
    const at = { line: 1, column: 1 };
    return {
      problems: [
        {
          severity: 'error',
          code: 'syntax',
          file: absFile,
          start: at,
          end: { line: 1, column: 2 },
          path: [],
          message: tooBig,
        },
      ],
      locator: new JsonLocator(text, undefined),
      text,
    };
  }
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const loc = new JsonLocator(text, root);
  const problems: Problem[] = [];
  const add = (severity: Severity, code: string, p: (string | number)[], message: string) =>
    problems.push({ severity, code, message, file: absFile, ...loc.rangeOf(p), path: p });

  for (const e of parseErrors) {
    const start = loc.positionAt(e.offset);
    problems.push({
      severity: 'error',
      code: 'syntax',
      file: absFile,
      start,
      end: loc.positionAt(e.offset + Math.max(1, e.length)),
      path: [],
      message: `JSON syntax error: ${printParseErrorCode(e.error)}. Fix the text at this position (comments and trailing commas are allowed).`,
    });
  }
  if (!root || parseErrors.length) return { problems, locator: loc, text };
  // Keys that would reach an object's prototype, and strings too long to be names or paths, are refused by path.
  const hostile = hostileNodes(root);
  for (const h of hostile) add('error', h.code, h.path, h.message);
  if (hostile.length) return { problems, locator: loc, text };
  const raw = getNodeValue(root) as Record<string, any>;
  const validate = validator();
  if (!validate(raw)) problems.push(...schemaProblems(validate.errors ?? [], absFile, loc));
  // Schema errors do not hide the other problems: the sections they sit in are left out and the rest is resolved
  // (a config with errors is never run: requireConfig refuses it). Only an unusable model or data entry stops here.
  const schemaPaths = problems.filter((p) => p.severity === 'error').map((p) => p.path);
  const broken = (prefix: (string | number)[]) => schemaPaths.some((q) => prefix.every((x, i) => q[i] === x));
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const usableModel = typeof raw.model === 'string' || typeof raw.model?.path === 'string';
  if (!usableModel || typeof raw.data?.path !== 'string' || typeof raw.data?.label !== 'string')
    return { problems, locator: loc, text };

  const resolve = (p: string) => path.resolve(dir, p);
  const checkFile = (p: (string | number)[], rel: string, what: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(resolve(rel)); // stat never blocks, even on a FIFO
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOOP')
        add(
          'error',
          'link-loop',
          p,
          `${what} "${rel}" is a symbolic link that loops (it never reaches a file). Point the config at a file.`,
        );
      else
        add(
          'error',
          'missing-file',
          p,
          `${what} "${rel}" does not exist (looked for ${shownPath(resolve(rel), dir)}). Fix the path; it is relative to the config file.`,
        );
      return;
    }
    // Before anything looks at the file: a link out of the config's tree is refused, whatever it points at.
    const where = contained(resolve(rel), dir);
    if (!where.ok) add('error', 'outside-root', p, outsideMessage(what, rel, where));
    else if (!st.isFile())
      add(
        'error',
        'not-a-file',
        p,
        `${what} "${rel}" is not a regular file (${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe' : 'a device or socket'}). RecLens reads only regular files.`,
      );
    else if (st.size > maxFileBytes())
      add(
        'error',
        'file-too-large',
        p,
        `${what} "${rel}" is ${Math.round(st.size / 2 ** 20).toLocaleString('en-US')} MiB, over the ${Math.round(maxFileBytes() / 2 ** 20).toLocaleString('en-US')} MiB limit for one file. Raise the limit (setting reclens.maxFileSizeMB, or reclens --max-file-size MB) if the file is meant to be this large.`,
      );
  };

  const modelRaw = typeof raw.model === 'string' ? { path: raw.model } : raw.model;
  const modelPath: (string | number)[] = typeof raw.model === 'string' ? ['model'] : ['model', 'path'];
  checkFile(modelPath, modelRaw.path, 'Model file');
  if (!modelRaw.path.toLowerCase().endsWith('.onnx'))
    add(
      'warning',
      'model-extension',
      modelPath,
      `Model "${modelRaw.path}" does not end in .onnx; RecLens runs ONNX models only.`,
    );

  checkFile(['data', 'path'], raw.data.path, 'Data file');
  const ext = path.extname(raw.data.path).toLowerCase();
  if (!SUPPORTED_DATA_EXTENSIONS.includes(ext))
    add(
      'error',
      'data-format',
      ['data', 'path'],
      `Data file "${raw.data.path}" has an unsupported extension "${ext}". Use one of ${SUPPORTED_DATA_EXTENSIONS.join(', ')}.`,
    );

  const tables: Record<string, TableSpec> = {};
  for (const [name, t] of Object.entries<any>(raw.tables ?? {})) {
    if (broken(['tables', name]) || typeof t?.path !== 'string') continue;
    checkFile(['tables', name, 'path'], t.path, `Table "${name}" file`);
    if (t.ids) checkFile(['tables', name, 'ids'], t.ids, `Table "${name}" ids file`);
    const tExt = path.extname(t.path).toLowerCase();
    if (tExt !== '.npy' && tExt !== '.parquet')
      add(
        'error',
        'table-format',
        ['tables', name, 'path'],
        `Table "${name}" must be a .npy or .parquet file, not "${tExt}".`,
      );
    tables[name] = {
      name,
      path: resolve(t.path),
      ids: t.ids ? resolve(t.ids) : undefined,
      idColumn: t.idColumn ?? 'id',
      vectorColumn: t.vectorColumn ?? 'vector',
      fallback: (t.fallback ?? 'zeros') as TableFallback,
    };
  }

  // Files only some jobs read (lis, embed, align): their own checks report a missing one; here, only where they lie.
  const sideFile = (p: (string | number)[], rel: unknown, what: string) => {
    if (typeof rel !== 'string' || !rel || broken(p)) return;
    try {
      fs.lstatSync(resolve(rel)); // the path itself exists (a link to nowhere or a loop included)
    } catch {
      return;
    }
    checkFile(p, rel, what);
  };
  sideFile(['items', 'path'], raw.items?.path, 'Items file');
  sideFile(['interactions', 'path'], raw.interactions?.path, 'Interactions file');
  for (const [name, spec] of Object.entries<any>(raw.preferences ?? {})) {
    if (!spec || typeof spec !== 'object') continue;
    sideFile(['preferences', name, 'pairs'], spec.pairs, `Preference "${name}" pairs file`);
    sideFile(['preferences', name, 'interactions'], spec.interactions, `Preference "${name}" interactions file`);
  }

  // A file out of the config's tree (or a looping link) is never read: no config, so no check, hover or tree reads it.
  if (problems.some((x) => x.code === 'outside-root' || x.code === 'link-loop'))
    return { problems, locator: loc, text };

  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries<any>(raw.inputs ?? {})) {
    if (broken(['inputs', name]) || !spec || typeof spec !== 'object') continue;
    if ('table' in spec) {
      if (!Object.prototype.hasOwnProperty.call(tables, spec.table)) {
        const known = Object.keys(tables);
        // A table left out for its own schema error is reported there.
        if (!raw.tables?.[spec.table])
          add(
            'error',
            'unknown-table',
            ['inputs', name, 'table'],
            `Input "${name}" uses table "${spec.table}", which is not defined under "tables"${known.length ? ` (defined: ${known.join(', ')})` : ''}.`,
          );
        continue;
      }
      inputs[name] = { kind: 'table', table: spec.table, key: spec.key };
    } else if ('columns' in spec) inputs[name] = { kind: 'columns', columns: spec.columns, fillNull: spec.fillNull };
    else inputs[name] = { kind: 'column', column: spec.column, fillNull: spec.fillNull };
  }

  const slots: SlotSpec[] = Object.entries<any>(raw.slots ?? {})
    .filter(([name, s]) => !broken(['slots', name]) && Array.isArray(s?.inputs))
    .map(([name, s]) => ({
      name,
      inputs: s.inputs,
      neutral: s.neutral,
      description: s.description,
    }));

  const config: RecLensConfig = {
    file: absFile,
    dir,
    name: raw.name,
    model: {
      path: resolve(modelRaw.path),
      output: str(modelRaw.output),
      outputKind: broken(['model', 'outputKind']) ? 'probability' : (modelRaw.outputKind ?? 'probability'),
    },
    data: {
      path: resolve(raw.data.path),
      label: raw.data.label,
      group: str(raw.data.group),
      item: str(raw.data.item),
      time: str(raw.data.time),
      filter: str(raw.data.filter),
    },
    tables,
    inputs,
    slots,
    slices: broken(['slices'])
      ? []
      : Object.entries<any>(raw.slices ?? {}).map(([name, s]) => ({
          name,
          where: s.where,
          description: s.description,
        })),
    runtime: broken(['runtime'])
      ? { executionProviders: DEFAULT_PROVIDERS, batchSize: DEFAULT_BATCH_SIZE, threads: 0 }
      : {
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
    throw inputError(
      `Config file "${file}" cannot be read (${(e as NodeJS.ErrnoException).code ?? e}). Check the path; to start a config, run "RecLens: Create Config" in VS Code or copy the example in the README.`,
      { file },
    );
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
      `Config ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((p) => '  ' + formatProblem(p)).join('\n'),
      { file, line: first?.start.line, column: first?.start.column },
    );
  }
  return { config: loaded.config, loaded };
}
