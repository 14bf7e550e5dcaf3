/**
 * The scaffolder: from a folder (or a given model and data file) to a proposed reclens.json, every guess with its
 * confidence. Candidates come from candidates.ts, the mapping is chosen jointly (one source per input, by the
 * Hungarian algorithm over the score matrix), ties and the output kind are settled by running the model on a
 * sample where that is allowed, and whatever stays undecided is left as a TODO naming its candidates.
 */
import * as path from 'path';
import { describeColumns } from '../data/describe';
import { Duck, openDuck } from '../data/duck';
import { inputError } from '../errors';
import { ModelInspection, readOnnx } from '../model/inspect';
import { nameScore } from '../util/suggest';
import { assignMax } from './assignment';
import { inputCandidates, inputWidth } from './candidates';
import { discoverTables, findDataFiles, findItemsFile, findModels, keyCoverage, readableCandidates } from './discover';
import { ColumnProfile, DataProfile, profileData } from './profile';
import { detectGroup, detectItem, detectLabel, detectTime, labelDerived } from './roles';
import { openSampler } from './sampleRun';
import {
  describeSource,
  InputProposal,
  InputSource,
  Proposal,
  ScoredSource,
  sourceColumns,
  TableProposal,
} from './types';

export interface ProposeOptions {
  /** Folder the config is for (searched for the model, data and tables). */
  dir: string;
  model?: string;
  data?: string;
  /** Run the model on a sample (output kind, tie-breaks). Only where executing the model is allowed. */
  runModel: boolean;
  sampleRows?: number;
}

/** Two candidates closer than this are a tie: the name alone does not decide. */
const TIE = 0.05;

function rel(dir: string, f: string): string {
  return path.relative(dir, f).split(path.sep).join('/') || f;
}

export function chooseModel(dir: string, given?: string): string {
  if (given) return path.resolve(given);
  const models = findModels(dir);
  if (models.length === 1) return models[0];
  if (models.length === 0)
    throw inputError(`No .onnx model in ${dir} (looked two folders deep). Pass --model <model.onnx>.`, { file: dir });
  throw inputError(
    `Several .onnx models in ${dir}: ${models.map((m) => rel(dir, m)).join(', ')}. Pass --model <model.onnx> to choose one.`,
    { file: dir },
  );
}

/** The evaluation data among the folder's data files: has a label-like column, feeds the model's inputs by name, is named eval / test rather than train. */
export async function chooseData(duck: Duck, dir: string, model: ModelInspection, exclude: string[]): Promise<string> {
  const files = findDataFiles(dir).filter((f) => !exclude.includes(f));
  const ranked: { file: string; score: number }[] = [];
  for (const f of files) {
    let cols;
    try {
      cols = await describeColumns(duck, f);
    } catch {
      continue;
    }
    const names = cols.map((c) => c.name);
    const label = names.some((n) => /^(label|click|clicked|is_click|target|y|converted|conversion)$/i.test(n)) ? 1 : 0;
    const feeds = model.inputs.reduce((s, i) => s + Math.max(0, ...names.map((n) => nameScore(i.name, n))), 0);
    const base = path.basename(f).toLowerCase();
    const role = /(^|[^a-z])(eval|evaluation|test|valid|validation|val|holdout)([^a-z]|$)/.test(base)
      ? 0.5
      : /(^|[^a-z])train/.test(base)
        ? -0.5
        : 0;
    ranked.push({ file: f, score: 2 * label + feeds + role });
  }
  ranked.sort((a, b) => b.score - a.score);
  if (ranked.length === 0)
    throw inputError(`No data file (.csv, .tsv, .parquet, .jsonl) in ${dir}. Pass --data <file>.`, { file: dir });
  if (ranked.length > 1 && ranked[1].score >= ranked[0].score - 1e-9) {
    throw inputError(
      `Several data files in ${dir} fit equally well: ${ranked
        .filter((r) => r.score >= ranked[0].score - 1e-9)
        .map((r) => rel(dir, r.file))
        .join(', ')}. Pass --data <file> to choose the evaluation data.`,
      { file: dir },
    );
  }
  return ranked[0].file;
}

function resources(s: InputSource): string[] {
  return s.kind === 'table' ? [`table:${s.table}`] : sourceColumns(s).map((c) => `column:${c}`);
}
const overlaps = (a: InputSource, b: InputSource) => resources(a).some((r) => resources(b).includes(r));

/** One source per input, maximising the summed score; sources sharing a column (a group and its member) are resolved too. */
export function assignInputs(candidates: ScoredSource[][]): (ScoredSource | undefined)[] {
  const forbidden = candidates.map(() => new Set<string>());
  for (let round = 0; round < 100; round++) {
    const keys: string[] = [];
    const index = new Map<string, number>();
    for (const list of candidates)
      for (const c of list) {
        const k = JSON.stringify(c.source);
        if (!index.has(k)) {
          index.set(k, keys.length);
          keys.push(k);
        }
      }
    const matrix = candidates.map((list, i) => {
      const row = new Array(keys.length).fill(0);
      for (const c of list) {
        const k = JSON.stringify(c.source);
        if (!forbidden[i].has(k)) row[index.get(k)!] = c.score;
      }
      return row;
    });
    const chosen = assignMax(matrix).map((j, i) =>
      j === undefined ? undefined : candidates[i].find((c) => JSON.stringify(c.source) === keys[j]),
    );
    let conflict = false;
    for (let a = 0; a < chosen.length && !conflict; a++)
      for (let b = a + 1; b < chosen.length && !conflict; b++) {
        const ca = chosen[a],
          cb = chosen[b];
        if (!ca || !cb || !overlaps(ca.source, cb.source)) continue;
        const loser = ca.score < cb.score ? a : b;
        forbidden[loser].add(JSON.stringify(chosen[loser]!.source));
        conflict = true;
      }
    if (!conflict) return chosen;
  }
  return candidates.map(() => undefined);
}

export async function proposeConfig(opts: ProposeOptions): Promise<Proposal> {
  const dir = path.resolve(opts.dir);
  const modelFile = chooseModel(dir, opts.model);
  const onnx = await readOnnx(modelFile);
  const model = onnx.inspection;
  const duck = await openDuck(1, await readableCandidates(dir, opts.data ? [path.resolve(opts.data)] : []), dir);
  let profile: DataProfile;
  let tables: TableProposal[];
  let items: Proposal['items'];
  const notes: string[] = [];
  let cols: ColumnProfile[];
  let roles: Proposal['roles'];
  try {
    const dataFile = opts.data ? path.resolve(opts.data) : await chooseData(duck, dir, model, []);
    profile = await profileData(duck, dataFile);
    roles = {
      label: detectLabel(profile.columns),
      group: detectGroup(profile.columns),
      item: detectItem(profile.columns),
      time: detectTime(profile.columns),
    };
    const label = roles.label.column;
    const derived = label ? await labelDerived(duck, dataFile, profile.columns, label, profile.rows) : [];
    if (derived.length) notes.push(`Not used as inputs (the label is made from them): ${derived.join(', ')}.`);
    cols = profile.columns.filter((c) => c.name !== label && !derived.includes(c.name));
    // Tables whose ids cover a data column (95% of its distinct values at least).
    const found = await discoverTables(duck, dir, [dataFile, modelFile]);
    const keyColumns = cols.filter((c) => c.cls === 'integer' || c.cls === 'string');
    tables = [];
    for (const t of found) {
      const keys: TableProposal['keys'] = [];
      for (const k of keyColumns) {
        const coverage = await keyCoverage(duck, dataFile, k.name, t.idSet);
        if (coverage >= 0.95) keys.push({ column: k.name, coverage });
      }
      if (keys.length)
        tables.push({
          name: t.name,
          path: t.path,
          ids: t.ids,
          idColumn: t.idColumn,
          vectorColumn: t.vectorColumn,
          rows: t.rows,
          dim: t.dim,
          keys,
        });
    }
    if (roles.item.column) {
      const others = findDataFiles(dir).filter((f) => f !== dataFile && !found.some((t) => t.path === f));
      items = await findItemsFile(duck, others, roles.item.column);
    }
  } finally {
    duck.close();
  }

  const candidates = model.inputs.map((i) => inputCandidates(i, model, cols, tables, roles.item.column));
  const chosen = assignInputs(candidates);
  const inputs: InputProposal[] = model.inputs.map((mi, i) => {
    const c = chosen[i];
    const base = {
      input: mi.name,
      dtype: mi.dtype,
      shape: mi.shape,
      alternatives: candidates[i].filter((x) => x !== c).slice(0, 5),
    };
    if (!c)
      return {
        ...base,
        confidence: 'todo' as const,
        reason: candidates[i].length
          ? 'every candidate is taken by another input'
          : 'no column, column group or table of this dtype and width',
      };
    const takenByOthers = chosen.filter((o, j) => o && j !== i).map((o) => o!.source);
    const free = candidates[i].filter((x) => x !== c && !takenByOthers.some((t) => overlaps(t, x.source)));
    const ties = free.filter((x) => x.score >= c.score - TIE);
    const idNote = model.embeddingTables.some((e) => e.indexedBy.includes(mi.name))
      ? '; values fit the embedding table'
      : '';
    // Type alone, with other sources as good: no basis to choose (and none for a sample run to break a tie on).
    if (c.score < 0.4 && free.length)
      return {
        ...base,
        alternatives: [c, ...free].slice(0, 5),
        confidence: 'todo' as const,
        reason: 'no name evidence among several candidates',
      };
    // Equally good names: kept as a tie (with a provisional source) for the sample run to settle.
    if (ties.length)
      return {
        ...base,
        source: c.source,
        confidence: 'todo' as const,
        reason: `names tie: ${[c, ...ties].map((x) => x.describe).join(' / ')}`,
      };
    if (c.score >= 0.85)
      return { ...base, source: c.source, confidence: 'high' as const, reason: `name matches${idNote}` };
    if (c.score >= 0.4)
      return {
        ...base,
        source: c.source,
        confidence: 'medium' as const,
        reason: `name resembles (${c.score.toFixed(2)})${idNote}`,
      };
    return {
      ...base,
      source: c.source,
      confidence: 'low' as const,
      reason: `the only unused source of this dtype and width${idNote}`,
    };
  });

  // Leftover fill: an input of width k with exactly k unused plain numeric columns left takes them in file order.
  const roleColumns = [roles.group.column, roles.item.column, roles.time.column].filter(Boolean) as string[];
  for (const p of inputs) {
    if (p.source) continue;
    const k = inputWidth(model.inputs.find((m) => m.name === p.input)!);
    if (!k || k < 2) continue;
    const used = new Set(inputs.flatMap((q) => (q.source ? sourceColumns(q.source) : [])));
    const pool = cols.filter(
      (c) =>
        !used.has(c.name) &&
        !roleColumns.includes(c.name) &&
        (c.cls === 'float' || (c.cls === 'integer' && !p.dtype.startsWith('float'))),
    );
    if (pool.length === k && p.alternatives.length === 0) {
      p.source = { kind: 'columns', columns: pool.map((c) => c.name) };
      p.confidence = 'low';
      p.reason = `the only ${k} numeric columns no other input uses, in file order: check the order`;
    }
  }

  const proposal: Proposal = {
    dir,
    model: modelFile,
    data: profile.file,
    output: model.outputs[0]?.name ?? 'output',
    outputKind: { value: 'logit', confidence: 'todo', reason: 'not decided' },
    roles,
    tables,
    inputs,
    items,
    notes,
    columns: profile.columns,
  };

  const opType = onnx.graph.outputOps.find((o) => o.output === proposal.output)?.opType;
  const complete = inputs.every((p) => p.source) && !!roles.label.column;
  if (opts.runModel && complete) {
    const sampler = await openSampler(proposal, opts.sampleRows);
    try {
      for (const p of inputs) {
        if (p.confidence !== 'todo' || !p.source) continue;
        const tied = [
          { source: p.source, describe: describeSource(p.source) },
          ...p.alternatives
            .filter(
              (a) =>
                a.score >=
                (candidates[model.inputs.findIndex((m) => m.name === p.input)].find(
                  (c) => JSON.stringify(c.source) === JSON.stringify(p.source),
                )?.score ?? 0) -
                  TIE,
            )
            .filter((a) => !inputs.some((q) => q !== p && q.source && overlaps(q.source, a.source))),
        ];
        const results: { source: InputSource; describe: string; auc: number }[] = [];
        for (const t of tied) {
          const r = await sampler.score({ [p.input]: t.source });
          if (r.auc !== undefined) results.push({ ...t, auc: r.auc });
        }
        results.sort((a, b) => b.auc - a.auc);
        if (results.length >= 2 && results[0].auc - results[1].auc > 1e-4) {
          p.source = results[0].source;
          p.confidence = 'medium';
          p.reason = `names tie; the model scores best with it on a sample (AUC ${results.map((r) => `${r.auc.toFixed(4)} ${r.describe}`).join(', ')})`;
        }
      }
      const settled = inputs.every((p) => p.confidence !== 'todo');
      if (settled) {
        const r = await sampler.score();
        proposal.sampleRun = { rows: r.rows, auc: r.auc, min: r.min, max: r.max };
        if (r.min < 0 || r.max > 1)
          proposal.outputKind = {
            value: 'logit',
            confidence: 'high',
            reason: `outputs on ${r.rows} sample rows range ${r.min.toPrecision(3)} .. ${r.max.toPrecision(3)}, outside [0, 1]`,
          };
        else
          proposal.outputKind = {
            value: 'probability',
            confidence: opType === 'Sigmoid' || opType === 'Softmax' ? 'high' : 'medium',
            reason: `outputs on ${r.rows} sample rows lie in [0, 1]${opType === 'Sigmoid' ? ' (a Sigmoid makes them)' : ''}`,
          };
      }
    } finally {
      await sampler.close();
    }
  }
  // Undecided ties stay TODOs without a value.
  for (const p of inputs)
    if (p.confidence === 'todo' && p.source) {
      p.alternatives = [{ source: p.source, score: 0, describe: describeSource(p.source) }, ...p.alternatives];
      p.source = undefined;
    }
  if (proposal.outputKind.confidence === 'todo') {
    if (opType === 'Sigmoid' || opType === 'Softmax')
      proposal.outputKind = { value: 'probability', confidence: 'high', reason: `the output is made by ${opType}` };
    else
      proposal.outputKind = {
        value: 'logit',
        confidence: 'low',
        reason: `not run on a sample${opts.runModel ? ' (the mapping is incomplete)' : ''}; the output is made by ${opType ?? 'an unknown op'}, not a Sigmoid`,
      };
  }
  return proposal;
}
