// Cross-checks the generated planted workspace with the runtimes the engine uses:
//  * onnxruntime-node runs model.onnx on eval.csv (item_emb looked up in tables/item_raw.npy by item_id)
//    and must reproduce the AUCs that make_planted.py wrote to truth.json (full, and each slot masked to zero);
//  * DuckDB reads eval.csv / train.csv / interactions.csv / prefs_*.csv and must find the row counts in truth.json.
// Usage: node examples/planted/build/check_onnx.mjs [workspaceDir]   (must live under the repo to resolve node_modules)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { DuckDBInstance } from '@duckdb/node-api';
import { auc, readNpy } from '../../buildChecks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? path.join(here, '..'));
const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8'));
let failed = false;
const check = (ok, what) => {
  console.log(`${ok ? '   ok    ' : '   FAILED'} ${what}`);
  if (!ok) failed = true;
};

function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = lines[0].split(',');
  const out = Object.fromEntries(cols.map((c) => [c, new Float64Array(lines.length - 1)]));
  for (let r = 1; r < lines.length; r++) {
    const f = lines[r].split(',');
    for (let c = 0; c < cols.length; c++) out[cols[c]][r - 1] = Number(f[c]);
  }
  return { n: lines.length - 1, cols: out };
}

// ---- ONNX
const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), { executionProviders: ['cpu'] });
check(
  JSON.stringify(session.inputNames) === JSON.stringify(['leak', 'strong', 'useless', 'item_emb']),
  `inputs ${session.inputNames.join(', ')}`,
);
check(JSON.stringify(session.outputNames) === JSON.stringify(['logit']), `outputs ${session.outputNames.join(', ')}`);

const ev = readCsv(path.join(dir, 'eval.csv'));
const ids = readNpy(path.join(dir, 'tables', 'item_ids.npy'));
const raw = readNpy(path.join(dir, 'tables', 'item_raw.npy'));
const dim = raw.shape[1];
const rowOf = new Map();
ids.data.forEach((v, r) => rowOf.set(Number(v), r));
const n = ev.n;
const take = (names) => {
  const a = new Float32Array(n * names.length);
  for (let r = 0; r < n; r++)
    names.forEach((c, k) => {
      a[r * names.length + k] = ev.cols[c][r];
    });
  return a;
};
const feeds = {
  leak: take(['leak']),
  strong: take(['s0', 's1', 's2', 's3']),
  useless: take(['u0', 'u1', 'u2', 'u3']),
  item_emb: (() => {
    const a = new Float32Array(n * dim);
    for (let r = 0; r < n; r++)
      a.set(raw.data.subarray(rowOf.get(ev.cols.item_id[r]) * dim, (rowOf.get(ev.cols.item_id[r]) + 1) * dim), r * dim);
    return a;
  })(),
};
const widths = { leak: 1, strong: 4, useless: 4, item_emb: dim };
async function scoreWith(maskSlot) {
  const f = {};
  for (const [k, v] of Object.entries(feeds))
    f[k] = new ort.Tensor('float32', k === maskSlot ? new Float32Array(v.length) : v, [n, widths[k]]);
  const out = await session.run(f);
  check(
    out.logit.dims.length === 1 && out.logit.dims[0] === n && out.logit.type === 'float32',
    `logit is float32 [${out.logit.dims}]${maskSlot ? ` (${maskSlot} masked)` : ''}`,
  );
  return out.logit.data;
}
const y = Array.from(ev.cols.label);
for (const slot of [null, 'leak', 'strong', 'useless', 'item_emb']) {
  const a = auc(await scoreWith(slot), y);
  const want = truth.measured.auc[slot ? `mask_${slot}` : 'full'];
  check(
    Math.abs(a - want) < 2e-4,
    `onnxruntime AUC ${slot ? `mask ${slot}` : 'full'} ${a.toFixed(5)} vs truth.json ${want}`,
  );
}

// ---- DuckDB
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const counts = {
  'eval.csv': truth.rows.eval,
  'train.csv': truth.rows.train,
  'interactions.csv': truth.rows.interactions,
  'prefs_hist.csv': truth.rows.prefs_hist,
  'prefs_leak.csv': truth.rows.prefs_leak,
};
for (const [file, want] of Object.entries(counts)) {
  const r = await con.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM read_csv_auto('${path.join(dir, file).replace(/'/g, "''")}')`,
  );
  const got = r.getRowObjects()[0].n;
  check(got === want, `DuckDB reads ${file}: ${got} rows (truth.json ${want})`);
}
const types = await con.runAndReadAll(
  `DESCRIBE SELECT * FROM read_csv_auto('${path.join(dir, 'eval.csv').replace(/'/g, "''")}')`,
);
console.log(
  '   eval.csv types: ' +
    types
      .getRowObjects()
      .map((r) => `${r.column_name}:${r.column_type}`)
      .join(' '),
);

if (failed) {
  console.error('check_onnx: FAILED');
  process.exit(1);
}
console.log('check_onnx: all ok');
