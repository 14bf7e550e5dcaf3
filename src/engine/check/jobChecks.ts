/* eslint-disable @typescript-eslint/no-explicit-any -- walks the raw config JSON (already checked against the schema) field by field */
/**
 * What eval, ablate, ceiling, lis and the embedding views would reject, found from the config alone so `check` and
 * the editor report it before a run: slots naming inputs the model lacks, neutral ids a column cannot take, a
 * model.output that is not an output, items / interactions / pairs columns that do not exist, and (where running
 * the model is allowed) a "probability" output that leaves [0, 1] on a sample.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Severity } from '../config/problems';
import type { RecLensConfig } from '../config/types';
import { describeColumns } from '../data/describe';
import type { Duck } from '../data/duck';
import type { ModelInspection } from '../model/inspect';
import { RemoteSession } from '../model/remoteSession';
import { scoreSample } from '../scaffold/sampleRun';
import { cachedByFile } from '../util/fileCache';
import { rankNames, suggestion } from '../util/suggest';
import { Fix, replaceStringFix } from './fixes';

/** Reports a problem at a JSON path of reclens.json (`key`: on the property name rather than its value). */
export type At = (
  severity: Severity,
  code: string,
  p: (string | number)[],
  message: string,
  fixes?: Fix[],
  key?: boolean,
) => void;

/** Up to three "Change to" fixes, best first, by the shared name scorer. */
export function candidateFixes(
  text: string,
  p: (string | number)[],
  name: string,
  candidates: string[],
  key = false,
): Fix[] {
  return rankNames(name, candidates)
    .slice(0, 3)
    .map((r) => replaceStringFix(text, p, r.name, key))
    .filter((f): f is Fix => !!f);
}

export function slotChecks(text: string, config: RecLensConfig, model: ModelInspection, at: At): void {
  const inputs = model.inputs.map((i) => i.name);
  const seen = new Map<string, string>();
  for (const s of config.slots) {
    s.inputs.forEach((i, k) => {
      if (!inputs.includes(i)) {
        at(
          'error',
          'slot-input',
          ['slots', s.name, 'inputs', k],
          `Slot "${s.name}" names input "${i}", which the model does not have.${suggestion(i, inputs)} ablate and ceiling reject this slot.`,
          candidateFixes(text, ['slots', s.name, 'inputs', k], i, inputs),
        );
      } else if (seen.has(i) && seen.get(i) !== s.name) {
        at(
          'information',
          'slot-overlap',
          ['slots', s.name, 'inputs', k],
          `Input "${i}" is in slots "${seen.get(i)}" and "${s.name}"; ablating them together changes it once, with the first slot's neutral value.`,
        );
      } else seen.set(i, s.name);
    });
    const n = s.neutral;
    if (n && typeof n === 'object') {
      for (const i of s.inputs) {
        const spec = config.inputs[i];
        if ((!spec || spec.kind !== 'table') && !Number.isFinite(Number(n.id))) {
          at(
            'error',
            'slot-neutral',
            ['slots', s.name, 'neutral'],
            `Slot "${s.name}": neutral id "${n.id}" is not a number, but input "${i}" is fed from columns, which take numeric ids. Use a number, "zero" or "mean".`,
          );
        }
      }
    }
  }
  if (config.model.output && !model.outputs.some((o) => o.name === config.model.output)) {
    const outs = model.outputs.map((o) => o.name);
    at(
      'error',
      'model-output',
      ['model', 'output'],
      `model.output "${config.model.output}" is not an output of the model.${suggestion(config.model.output, outs)}`,
      candidateFixes(text, ['model', 'output'], config.model.output, outs),
    );
  }
}

async function columnsOf(duck: Duck, file: string): Promise<string[] | undefined> {
  try {
    return (await describeColumns(duck, file)).map((c) => c.name);
  } catch {
    return undefined;
  }
}

/** items (embedding views), interactions (lis histories), preference pairs (lis): files and columns. */
export async function sideFileChecks(duck: Duck, text: string, config: RecLensConfig, at: At): Promise<void> {
  const raw = config.raw as Record<string, any>;
  const fieldCols = async (
    section: (string | number)[],
    rel: string | undefined,
    fields: Record<string, string | undefined>,
  ) => {
    if (typeof rel !== 'string') return;
    const file = path.resolve(config.dir, rel);
    if (!fs.existsSync(file)) {
      at(
        'error',
        'missing-file',
        [...section, 'path'],
        `${section.join('.')}.path "${rel}" does not exist (looked for ${file}).`,
      );
      return;
    }
    const names = await columnsOf(duck, file);
    if (!names) return;
    for (const [k, c] of Object.entries(fields)) {
      if (typeof c === 'string' && !names.includes(c))
        at(
          'error',
          'missing-column',
          [...section, ...k.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x))],
          `${section.join('.')}.${k}: "${c}" is not a column of ${file}.${suggestion(c, names)}`,
          candidateFixes(text, [...section, ...k.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x))], c, names),
        );
    }
  };
  if (raw.items)
    await fieldCols(['items'], raw.items.path, {
      id: raw.items.id,
      label: raw.items.label,
      ...Object.fromEntries(
        (Array.isArray(raw.items.columns) ? raw.items.columns : []).map((c: string, i: number) => [`columns.${i}`, c]),
      ),
    });
  if (raw.interactions)
    await fieldCols(['interactions'], raw.interactions.path, {
      user: raw.interactions.user,
      item: raw.interactions.item,
      label: raw.interactions.label,
      time: raw.interactions.time,
    });
  for (const [name, p] of Object.entries<any>(raw.preferences ?? {})) {
    if (typeof p?.pairs !== 'string') continue;
    const file = path.resolve(config.dir, p.pairs);
    const names = fs.existsSync(file) ? await columnsOf(duck, file) : undefined;
    const missing = names ? ['left', 'right'].filter((c) => !names.includes(c)) : [];
    if (missing.length)
      at(
        'error',
        'pairs-columns',
        ['preferences', name, 'pairs'],
        `Pairs file ${file} needs columns left, right (and optionally weight, time); it lacks ${missing.join(', ')}. lis rejects it.`,
      );
  }
  if (Object.keys(raw.preferences ?? {}).length && !config.data.group)
    at('warning', 'lis-needs-group', ['data'], 'lis splits probes by user: set data.group, or lis will refuse to run.');
}

/** Runs the model on the first rows: a "probability" output outside [0, 1] would stop eval at its first such row. */
export async function outputRangeCheck(
  text: string,
  config: RecLensConfig,
  outputName: string,
  at: At,
  rows = 2000,
): Promise<void> {
  if (config.model.outputKind !== 'probability') return;
  // The editor re-checks on every edit: one sample run per model version and mapping.
  const key = JSON.stringify({ outputName, data: config.data, inputs: config.inputs, tables: config.tables, rows });
  const r = await cachedByFile(`range:${key}`, config.model.path, async () => {
    const rs = await RemoteSession.open(config.model.path, ['cpu'], 0, outputName);
    try {
      return await scoreSample(rs, { ...config, model: { ...config.model, outputKind: 'logit' } }, rows);
    } finally {
      await rs.close();
    }
  });
  if (r.min < 0 || r.max > 1) {
    const p =
      typeof config.raw.model === 'string'
        ? ['model']
        : (config.raw.model as Record<string, unknown>).outputKind
          ? ['model', 'outputKind']
          : ['model'];
    const fix = p.length === 2 ? replaceStringFix(text, p, 'logit') : undefined;
    at(
      'error',
      'output-range',
      p,
      `Output "${outputName}" ranges ${r.min.toPrecision(3)} .. ${r.max.toPrecision(3)} on the first ${r.rows} rows, outside [0, 1], but model.outputKind is "probability": eval would stop. Set "outputKind": "logit".`,
      fix ? [{ ...fix, title: 'Change to "logit"' }] : undefined,
    );
  }
}
