// Check the built example from Node, independently of the Python build:
//   - eval.parquet schema / row count, time order, content-table coverage of movie_id
//   - content_aligned.parquet == content_aligned.npy (bit for bit)
//   - model.onnx run with onnxruntime-node (CPU) on every eval row, inputs built as reclens.json
//     describes them; compared with torch_reference.json (first 512 rows and the AUC)
//
//   node examples/movielens/build/verify.mjs [EXAMPLE_DIR]
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auc, readNpy } from '../../buildChecks.mjs';

const dir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const P = (f) => path.join(dir, f);
const q = (p) => `'${p.replace(/'/g, "''")}'`;
let failures = 0;
const check = (ok, msg) => {
  console.log(`[verify] ${ok ? 'ok  ' : 'FAIL'} ${msg}`);
  if (!ok) failures++;
};

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();

// ---- eval.parquet ----------------------------------------------------------------------------
const schema = (
  await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${q(P('eval.parquet'))})`)
).getRowObjectsJS();
console.log('[verify] eval.parquet schema:');
for (const r of schema) console.log(`           ${r.column_name.padEnd(14)} ${r.column_type}`);
const ev = (await c.runAndReadAll(`SELECT * FROM read_parquet(${q(P('eval.parquet'))})`)).getColumnsObjectJS();
const n = ev.label.length;
const ref = JSON.parse(fs.readFileSync(P('torch_reference.json'), 'utf8'));
check(n === ref.rows, `eval.parquet has ${n} rows (torch_reference: ${ref.rows})`);
const positives = ev.label.reduce((s, v) => s + v, 0);
check(positives === ref.positives, `${positives} positives`);
let ordered = true;
for (let i = 1; i < n; i++) {
  const a = [ev.timestamp[i - 1], ev.user_id[i - 1], ev.movie_id[i - 1]],
    b = [ev.timestamp[i], ev.user_id[i], ev.movie_id[i]];
  const cmp = a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
  if (!cmp) {
    ordered = false;
    break;
  }
}
check(ordered, 'eval rows in (timestamp, user_id, movie_id) order');
check(
  ev.timestamp.every((t) => t >= BigInt(ref.cut_timestamp)),
  `every eval timestamp >= cut ${ref.cut_timestamp}`,
);
const tr = (
  await c.runAndReadAll(
    `SELECT count(*)::BIGINT n, max("timestamp")::BIGINT mx FROM read_parquet(${q(P('train.parquet'))})`,
  )
).getRowObjectsJS()[0];
check(
  Number(tr.n) === ref.train_rows && tr.mx < BigInt(ref.cut_timestamp),
  `train.parquet: ${tr.n} rows, all before the cut`,
);

// ---- tables ----------------------------------------------------------------------------------
const ids = readNpy(P('tables/item_ids.npy'));
const tfidf = readNpy(P('tables/content_tfidf.npy'));
const alignedNpy = readNpy(P('tables/content_aligned.npy'));
const DIM = tfidf.shape[1];
const rowOf = new Map();
ids.data.forEach((id, r) => rowOf.set(id, r));
check(tfidf.shape[0] === ids.shape[0] && alignedNpy.shape[0] === ids.shape[0], `tables: ${ids.shape[0]} rows x ${DIM}`);
const missing = ev.movie_id.filter((m) => !rowOf.has(m));
check(missing.length === 0, `content table ids cover every eval movie_id (${missing.length} missing)`);
const al = (
  await c.runAndReadAll(`SELECT movie_id, vector FROM read_parquet(${q(P('tables/content_aligned.parquet'))})`)
).getColumnsObjectJS();
let same = al.movie_id.length === ids.shape[0];
for (let r = 0; same && r < al.movie_id.length; r++) {
  if (al.movie_id[r] !== ids.data[r]) same = false;
  for (let k = 0; same && k < DIM; k++) if (Math.fround(al.vector[r][k]) !== alignedNpy.data[r * DIM + k]) same = false;
}
check(same, 'content_aligned.parquet equals content_aligned.npy bit for bit');

// ---- model -----------------------------------------------------------------------------------
let ort;
try {
  ort = await import('onnxruntime-node');
} catch (e) {
  console.log(`[verify] onnxruntime-node not available (${e.message}); skipping the model run`);
}
if (ort) {
  const session = await ort.InferenceSession.create(P('model.onnx'), { executionProviders: ['cpu'] });
  console.log(
    `[verify] model inputs ${JSON.stringify(session.inputNames)} outputs ${JSON.stringify(session.outputNames)}`,
  );
  if (session.inputMetadata) {
    for (const m of session.inputMetadata) console.log(`           in  ${m.name}: ${m.type} [${m.shape}]`);
    for (const m of session.outputMetadata) console.log(`           out ${m.name}: ${m.type} [${m.shape}]`);
  }
  const probs = new Float32Array(n);
  const B = 8192;
  for (let s = 0; s < n; s += B) {
    const e = Math.min(n, s + B),
      b = e - s;
    const userId = BigInt64Array.from(ev.user_idx.slice(s, e));
    const itemId = BigInt64Array.from(ev.item_idx.slice(s, e));
    const genres = new Float32Array(b * 20),
      content = new Float32Array(b * DIM),
      hist = new Float32Array(b * DIM),
      num = new Float32Array(b * 2);
    for (let i = 0; i < b; i++) {
      genres.set(ev.genres[s + i], i * 20);
      hist.set(ev.hist_emb[s + i], i * DIM);
      const row = rowOf.get(ev.movie_id[s + i]);
      content.set(tfidf.data.subarray(row * DIM, (row + 1) * DIM), i * DIM);
      num[i * 2] = ev.item_pop[s + i];
      num[i * 2 + 1] = ev.user_activity[s + i];
    }
    const out = await session.run({
      user_id: new ort.Tensor('int64', userId, [b]),
      item_id: new ort.Tensor('int64', itemId, [b]),
      genres: new ort.Tensor('float32', genres, [b, 20]),
      item_content: new ort.Tensor('float32', content, [b, DIM]),
      user_history: new ort.Tensor('float32', hist, [b, DIM]),
      numeric: new ort.Tensor('float32', num, [b, 2]),
    });
    check(out.prob.dims.length === 1 && out.prob.dims[0] === b, `batch ${s}..${e}: prob dims [${out.prob.dims}]`);
    probs.set(out.prob.data, s);
  }
  let maxDiff = 0;
  ref.first_rows.forEach((p, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(p - probs[i]));
  });
  check(
    maxDiff < 1e-5,
    `onnxruntime vs torch, first ${ref.first_rows.length} rows: max |diff| ${maxDiff.toExponential(2)}`,
  );
  const a = auc(Array.from(probs), ev.label);
  check(Math.abs(a - ref.auc) < 1e-4, `onnxruntime AUC ${a.toFixed(6)} vs torch ${ref.auc.toFixed(6)}`);
}
console.log(failures ? `[verify] ${failures} check(s) FAILED` : '[verify] all checks passed');
process.exit(failures ? 1 : 0);
