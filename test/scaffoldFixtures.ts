/**
 * Generated workspaces with known right answers for the scaffolder: a linear ranker built in code as ONNX
 * (id inputs through Gather from embedding tables, dense inputs through MatMul), data whose labels follow the
 * model's own probabilities (seeded), and the column names a person would use for the same things.
 */
import * as fs from 'fs';
import * as path from 'path';
import { encodeNpy } from '../src/engine/data/npy';
import { ProtoWriter } from '../src/engine/model/protobufWriter';
import { seededRandom } from '../src/engine/util/random';
import { tempDir } from './helpers';

const FLOAT = 1,
  INT64 = 7;

export type RankerInput = { name: string; kind: 'id'; rows: number } | { name: string; kind: 'dense'; width: number };

function valueInfo(name: string, elemType: number, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  return new ProtoWriter()
    .string(1, name)
    .message(2, new ProtoWriter().message(1, new ProtoWriter().varint(1, elemType).message(2, shape)));
}
function node(op: string, inputs: string[], outputs: string[]): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  return n.string(3, `${op}_${outputs[0]}`).string(4, op);
}
function tensor(name: string, dims: number[], values: Float32Array): ProtoWriter {
  return new ProtoWriter()
    .packedInts(1, dims)
    .varint(2, FLOAT)
    .string(8, name)
    .bytes(9, new Uint8Array(values.buffer.slice(0)));
}

/** Weights per input (one per embedding row, or one per dense value), seeded. */
export function rankerWeights(inputs: RankerInput[], seed: number): Map<string, Float32Array> {
  const rng = seededRandom(seed);
  const w = new Map<string, Float32Array>();
  for (const i of inputs)
    w.set(
      i.name,
      Float32Array.from({ length: i.kind === 'id' ? i.rows : i.width }, () => rng() * 2 - 1),
    );
  return w;
}

/** ONNX bytes: score[b, 1] = sum of Gather(E_i, id_i) and dense_i @ W_i (+ Sigmoid when `sigmoid`). */
export function linearRanker(
  inputs: RankerInput[],
  weights: Map<string, Float32Array>,
  output: string,
  sigmoid: boolean,
): Uint8Array {
  const g = new ProtoWriter();
  const parts: string[] = [];
  for (const i of inputs) {
    if (i.kind === 'id') g.message(1, node('Gather', [`E_${i.name}`, i.name], [`p_${i.name}`]));
    else g.message(1, node('MatMul', [i.name, `W_${i.name}`], [`p_${i.name}`]));
    parts.push(`p_${i.name}`);
  }
  g.message(1, node('Sum', parts, [sigmoid ? 'raw' : output]));
  if (sigmoid) g.message(1, node('Sigmoid', ['raw'], [output]));
  g.string(2, 'generated_ranker');
  for (const i of inputs) {
    const w = weights.get(i.name)!;
    g.message(5, i.kind === 'id' ? tensor(`E_${i.name}`, [i.rows, 1], w) : tensor(`W_${i.name}`, [i.width, 1], w));
  }
  for (const i of inputs)
    g.message(11, i.kind === 'id' ? valueInfo(i.name, INT64, ['batch']) : valueInfo(i.name, FLOAT, ['batch', i.width]));
  g.message(12, valueInfo(output, FLOAT, ['batch', 1]));
  return new ProtoWriter()
    .varint(1, 8)
    .string(2, 'reclens-tests')
    .message(7, g)
    .message(8, new ProtoWriter().string(1, '').varint(2, 13))
    .finish();
}

export function logitOf(
  inputs: RankerInput[],
  weights: Map<string, Float32Array>,
  values: Record<string, number | number[]>,
): number {
  let s = 0;
  for (const i of inputs) {
    const w = weights.get(i.name)!;
    const v = values[i.name];
    if (i.kind === 'id') s += w[v as number];
    else
      (v as number[]).forEach((x, k) => {
        s += x * w[k];
      });
  }
  return s;
}

export function writeJsonl(file: string, rows: Record<string, unknown>[]): void {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

export function writeNpyFloat(file: string, rows: number, dim: number, values: Float32Array): void {
  fs.writeFileSync(file, encodeNpy({ dtype: 'float32', shape: [rows, dim], data: values }));
}

/**
 * Case "renamed": short input names over long column names. uid -> user_index (user_id is out of the embedding's
 * range), agb -> age_bucket, ctr7 -> ctr_7d (ctr_30d next to it), topics [20] -> topic_0..topic_19, hist [6] ->
 * the list column history_vec. Output "score" is a raw logit.
 */
export function renamedWorkspace(): { dir: string; rows: number } {
  const dir = tempDir('reclens-scaffold-');
  const inputs: RankerInput[] = [
    { name: 'uid', kind: 'id', rows: 40 },
    { name: 'agb', kind: 'id', rows: 8 },
    { name: 'ctr7', kind: 'dense', width: 1 },
    { name: 'topics', kind: 'dense', width: 20 },
    { name: 'hist', kind: 'dense', width: 6 },
  ];
  const w = rankerWeights(inputs, 11);
  fs.writeFileSync(path.join(dir, 'ranker.onnx'), linearRanker(inputs, w, 'score', false));
  const rng = seededRandom(12);
  const rows: Record<string, unknown>[] = [];
  const n = 600;
  for (let r = 0; r < n; r++) {
    const u = Math.floor(rng() * 40),
      a = Math.floor(rng() * 8);
    const ctr7 = +(rng() * 3).toFixed(3),
      topics = Array.from({ length: 20 }, () => (rng() < 0.2 ? 1 : 0));
    const hist = Array.from({ length: 6 }, () => +(rng() * 2 - 1).toFixed(3));
    const p = 1 / (1 + Math.exp(-logitOf(inputs, w, { uid: u, agb: a, ctr7: [ctr7], topics, hist })));
    const row: Record<string, unknown> = {
      user_id: 1000 + u,
      user_index: u,
      age_bucket: a,
      ctr_7d: ctr7,
      ctr_30d: +(rng() * 3).toFixed(3),
    };
    topics.forEach((t, k) => {
      row[`topic_${k}`] = t;
    });
    row.history_vec = hist;
    row.clicked = rng() < p ? 1 : 0;
    row.event_time = 1700000000 + r * 60;
    rows.push(row);
  }
  writeJsonl(path.join(dir, 'events.jsonl'), rows);
  return { dir, rows: n };
}

/**
 * Case "table": item_vec [4] comes from tables/item_vectors.npy (ids tables/item_ids.npy) looked up by item_id;
 * tables/user_vectors.npy (ids tables/user_ids.npy, also 4 wide) covers user_id and must not be taken. dense [3]
 * -> the list column dense_feats. Output "prob" is a Sigmoid; items.csv holds one titled row per item.
 */
export function tableWorkspace(): { dir: string } {
  const dir = tempDir('reclens-scaffold-');
  fs.mkdirSync(path.join(dir, 'tables'));
  const inputs: RankerInput[] = [
    { name: 'item_vec', kind: 'dense', width: 4 },
    { name: 'dense', kind: 'dense', width: 3 },
  ];
  const w = rankerWeights(inputs, 21);
  fs.writeFileSync(path.join(dir, 'model.onnx'), linearRanker(inputs, w, 'prob', true));
  const rng = seededRandom(22);
  const items = 30,
    users = 25;
  const itemVecs = Float32Array.from({ length: items * 4 }, () => rng() * 4 - 2);
  writeNpyFloat(path.join(dir, 'tables', 'item_vectors.npy'), items, 4, itemVecs);
  fs.writeFileSync(
    path.join(dir, 'tables', 'item_ids.npy'),
    encodeNpy({
      dtype: 'int64',
      shape: [items],
      data: BigInt64Array.from({ length: items }, (_, i) => BigInt(100 + i)),
    }),
  );
  writeNpyFloat(
    path.join(dir, 'tables', 'user_vectors.npy'),
    users,
    4,
    Float32Array.from({ length: users * 4 }, () => rng()),
  );
  fs.writeFileSync(
    path.join(dir, 'tables', 'user_ids.npy'),
    encodeNpy({ dtype: 'int64', shape: [users], data: BigInt64Array.from({ length: users }, (_, i) => BigInt(i)) }),
  );
  const rows: Record<string, unknown>[] = [];
  for (let r = 0; r < 500; r++) {
    const it = Math.floor(rng() * items),
      u = Math.floor(rng() * users);
    const dense = Array.from({ length: 3 }, () => +(rng() * 2 - 1).toFixed(3));
    const p =
      1 / (1 + Math.exp(-logitOf(inputs, w, { item_vec: Array.from(itemVecs.subarray(it * 4, it * 4 + 4)), dense })));
    rows.push({ user_id: u, item_id: 100 + it, dense_feats: dense, label: rng() < p ? 1 : 0, ts: r });
  }
  writeJsonl(path.join(dir, 'eval.jsonl'), rows);
  fs.writeFileSync(
    path.join(dir, 'items.csv'),
    'item_id,title\n' + Array.from({ length: items }, (_, i) => `${100 + i},Item ${i}`).join('\n') + '\n',
  );
  return { dir };
}

/** Case "undecidable": input q [1] and two float columns that say nothing about it. */
export function undecidableWorkspace(): { dir: string } {
  const dir = tempDir('reclens-scaffold-');
  const inputs: RankerInput[] = [{ name: 'q', kind: 'dense', width: 1 }];
  const w = rankerWeights(inputs, 31);
  fs.writeFileSync(path.join(dir, 'model.onnx'), linearRanker(inputs, w, 'out', false));
  const rng = seededRandom(32);
  const lines = ['alpha,beta,label'];
  for (let r = 0; r < 100; r++) lines.push(`${(rng() * 2).toFixed(3)},${(rng() * 2).toFixed(3)},${r % 2}`);
  fs.writeFileSync(path.join(dir, 'data.csv'), lines.join('\n') + '\n');
  return { dir };
}
