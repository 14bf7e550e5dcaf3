/**
 * Scaffolds a reclens.json from a model and a data file: inputs map to same-named columns, and whatever cannot be
 * matched is listed as problems to fix (and as comments in the file). Pure engine code: the CLI could use it too.
 */
import * as path from 'path';
import type { ColumnInfo } from '../data/describe';
import type { OnnxValueInfo } from '../model/onnxFile';
import { closest } from '../util/suggest';

export interface ScaffoldResult {
  text: string;
  problems: string[];
}

const LABEL_NAMES = ['label', 'click', 'clicked', 'target', 'y', 'is_click', 'converted'];
const GROUP_NAMES = ['user_id', 'userid', 'user', 'uid', 'session_id', 'query_id'];
const ITEM_NAMES = ['item_id', 'itemid', 'item', 'movie_id', 'product_id', 'doc_id'];
const TIME_NAMES = ['timestamp', 'time', 'ts', 'event_time', 'date'];

function pick(columns: ColumnInfo[], names: string[]): string | undefined {
  const lower = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
  for (const n of names) if (lower.has(n)) return lower.get(n);
  return undefined;
}

export function scaffoldConfig(configDir: string, modelFile: string, dataFile: string, inputs: OnnxValueInfo[], outputs: OnnxValueInfo[], columns: ColumnInfo[]): ScaffoldResult {
  const rel = (f: string) => path.relative(configDir, f).split(path.sep).join('/');
  const problems: string[] = [];
  const names = columns.map((c) => c.name);
  const label = pick(columns, LABEL_NAMES);
  if (!label) problems.push(`No label column found (looked for ${LABEL_NAMES.join(', ')}): set data.label to your 0/1 column.`);
  const group = pick(columns, GROUP_NAMES);
  const item = pick(columns, ITEM_NAMES);
  const time = pick(columns, TIME_NAMES);
  const mapped: string[] = [];
  const todo: string[] = [];
  for (const i of inputs) {
    if (names.includes(i.name)) mapped.push(`    "${i.name}": { "column": "${i.name}" }`);
    else {
      const guess = closest(i.name, names);
      problems.push(`Model input "${i.name}" (${i.dtype} [${(i.shape ?? []).map((d) => d ?? '?').join(', ')}]) has no same-named column${guess ? `; "${guess}" may be it` : ''}: add an entry under "inputs".`);
      todo.push(`    // TODO: feed "${i.name}" (${i.dtype}), e.g. "${i.name}": { "column": "${guess ?? '<column>'}" } or { "table": "<table>", "key": "<column>" }`);
    }
  }
  const output = outputs[0];
  const outputKind = output && /logit/i.test(output.name) ? 'logit' : 'probability';
  const data = [`"path": "${rel(dataFile)}"`, `"label": "${label ?? 'label'}"`];
  if (group) data.push(`"group": "${group}"`);
  if (item) data.push(`"item": "${item}"`);
  if (time) data.push(`"time": "${time}"`);
  const lines = [
    '// RecLens workspace config (comments allowed). Paths are relative to this file.',
    ...(problems.length ? ['// Problems to fix before evaluating:', ...problems.map((p) => `//   - ${p}`)] : []),
    '{',
    `  "model": { "path": "${rel(modelFile)}"${output ? `, "output": "${output.name}"` : ''}, "outputKind": "${outputKind}" },`,
    `  "data": { ${data.join(', ')} },`,
    '  "inputs": {',
    [mapped.join(',\n'), ...todo].filter((s) => s.length).join('\n'),
    '  },',
    '  "runtime": { "executionProviders": ["cuda", "webgpu", "cpu"], "batchSize": 8192 }',
    '}',
    '',
  ];
  return { text: lines.join('\n'), problems };
}
