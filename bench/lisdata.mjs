// A seeded synthetic LIS workspace at a chosen size (default 1M evaluation rows, 10k users), for bench/lis.mjs.
//   node bench/lisdata.mjs [rows] [users] [seed]     Prints the reclens.json path; reuses the files when present.
// Users have a hidden taste (item parity); the tiny fixture model ranks on dense features and item % 10, labels
// also follow the taste, so other users' co-engagement carries information (LIS > 0), as in test/lisWorlds.test.ts.
// Items (20 per user, at most 50k) are drawn with a popularity skew; user activity is skewed too (the busiest user
// has ~20x the mean). A year of time: history events before day 300, the evaluation rows after it, about as many
// history events as evaluation rows. One 32-d embedding table (random, seeded) gives the AIS variant.
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const { seededRandom } = require('../out/src/engine/util/random.js');
const { DuckDBInstance } = require('@duckdb/node-api');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function ensureLisData(rows = 1_000_000, users = 10_000, seed = 1) {
  const dir = path.join(ROOT, 'bench', 'out', `lis-${rows}-${users}-${seed}`);
  const cfg = path.join(dir, 'reclens.json');
  if (fs.existsSync(cfg)) return cfg;
  const tmp = `${dir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const rng = seededRandom(seed);
  const items = Math.min(50_000, users * 20),
    dim = 32,
    day = 86400,
    start = 300 * day;
  const W = [0.5, -1.0, 2.0],
    B = 0.25,
    emb = (i) => (2 * i - 10 + (2 * i + 1 - 10)) / 10; // test/helpers.ts tinyLogit
  const item = () => Math.floor(items * rng() ** 2);
  const user = () => Math.floor(users * rng() ** 1.5);
  const evalCsv = fs.createWriteStream(path.join(tmp, 'eval.csv'));
  const interCsv = fs.createWriteStream(path.join(tmp, 'interactions.csv'));
  evalCsv.write('user,item,mitem,d0,d1,d2,label,time\n');
  interCsv.write('user,item,label,time\n');
  const write = async (s, text) => {
    if (!s.write(text)) await new Promise((r) => s.once('drain', r));
  };
  for (let k = 0; k < 2 * rows; k++) {
    const u = user(),
      it = item(),
      isEval = k < rows;
    const time = isEval ? start + Math.floor(rng() * 65 * day) : Math.floor(rng() * start);
    const d = [rng() * 2 - 1, rng() * 2 - 1, rng() * 2 - 1].map((x) => +x.toFixed(3));
    const z = d[0] * W[0] + d[1] * W[1] + d[2] * W[2] + emb(it % 10) + B + 1.5 * (it % 2 === u % 2 ? 1 : -1);
    const label = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    if (isEval) await write(evalCsv, `${u},${it},${it % 10},${d[0]},${d[1]},${d[2]},${label},${time}\n`);
    await write(interCsv, `${u},${it},${label},${time}\n`);
  }
  await Promise.all([evalCsv, interCsv].map((s) => new Promise((r) => s.end(r))));
  // The table: items x 32 float32, row = item id (no ids file).
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${items}, ${dim}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const head = Buffer.from(
    `\x93NUMPY\x01\x00${String.fromCharCode((header.length + pad + 1) & 255, (header.length + pad + 1) >> 8)}${header}${' '.repeat(pad)}\n`,
    'latin1',
  );
  const vec = new Float32Array(items * dim).map(() => rng() * 2 - 1);
  fs.writeFileSync(path.join(tmp, 'table.npy'), Buffer.concat([head, Buffer.from(vec.buffer)]));
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'tiny.onnx'), path.join(tmp, 'model.onnx'));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  for (const f of ['eval', 'interactions']) {
    // Evaluation rows in time order (as a log would be); Parquet so reading is not the bench's subject.
    await conn.run(
      `COPY (SELECT * FROM read_csv_auto('${path.join(tmp, f)}.csv') ${f === 'eval' ? 'ORDER BY time, user' : ''}) TO '${path.join(tmp, f)}.parquet' (FORMAT PARQUET)`,
    );
    fs.rmSync(path.join(tmp, `${f}.csv`));
  }
  conn.closeSync?.();
  const config = {
    name: `synthetic LIS bench (${rows} rows, ${users} users, seed ${seed})`,
    model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
    data: { path: 'eval.parquet', label: 'label', group: 'user', item: 'item', time: 'time' },
    tables: { item_vec: { path: 'table.npy' } },
    inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'mitem' } },
    interactions: { path: 'interactions.parquet', user: 'user', item: 'item', label: 'label', time: 'time' },
    preferences: { coengaged_30d: { window: 30 * day, minCount: 2 } },
    runtime: { executionProviders: ['cpu'], batchSize: 8192 },
  };
  fs.writeFileSync(path.join(tmp, 'reclens.json'), JSON.stringify(config, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return cfg;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [rows, users, seed] = process.argv.slice(2).map(Number);
  console.log(await ensureLisData(rows || undefined, users || undefined, seed || undefined));
}
