// Turn the CSV files written by make_example.py into the example's Parquet files (DuckDB).
//
//   node examples/movielens/build/to_parquet.mjs TMPDIR OUTDIR
//
// Floats arrive as exact %.17g decimals: DOUBLE -> FLOAT casts restore the float32 bits.
// One thread and an explicit ORDER BY keep the output byte-identical from run to run.
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import fs from 'node:fs';

const [tmp, out] = process.argv.slice(2).map((p) => path.resolve(p));
if (!tmp || !out) {
  console.error('usage: node to_parquet.mjs TMPDIR OUTDIR');
  process.exit(2);
}
fs.mkdirSync(path.join(out, 'tables'), { recursive: true });

const GENRES = 20;
const DIM = 32;
const range = (n) => Array.from({ length: n }, (_, k) => k);
const q = (p) => `'${p.replace(/'/g, "''")}'`;

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run('SET threads = 1');
await c.run('SET preserve_insertion_order = true');

async function copy(select, file) {
  const target = path.join(out, file);
  fs.rmSync(target, { force: true });
  await c.run(`COPY (${select}) TO ${q(target)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
  const r = await c.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM read_parquet(${q(target)})`);
  console.log(`[to_parquet] ${file}: ${r.getRowObjects()[0].n} rows, ${fs.statSync(target).size} bytes`);
}

// train.parquet / eval.parquet
const rowTypes = {
  user_id: 'BIGINT',
  movie_id: 'BIGINT',
  user_idx: 'BIGINT',
  item_idx: 'BIGINT',
  label: 'INTEGER',
  rating: 'DOUBLE',
  timestamp: 'BIGINT',
  ...Object.fromEntries(range(GENRES).map((k) => [`g${k}`, 'INTEGER'])),
  ...Object.fromEntries(range(DIM).map((k) => [`h${k}`, 'DOUBLE'])),
  item_pop: 'DOUBLE',
  user_activity: 'DOUBLE',
};
const columnsArg = (types) =>
  `{${Object.entries(types)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(', ')}}`;
for (const split of ['train', 'eval']) {
  const src = `read_csv(${q(path.join(tmp, `${split}.csv`))}, header = true, columns = ${columnsArg(rowTypes)})`;
  const select = `
    SELECT user_id, movie_id, user_idx, item_idx, label, rating, "timestamp",
      [${range(GENRES)
        .map((k) => `g${k}`)
        .join(', ')}]::FLOAT[${GENRES}] AS genres,
      [${range(DIM)
        .map((k) => `h${k}`)
        .join(', ')}]::FLOAT[${DIM}] AS hist_emb,
      item_pop, user_activity
    FROM ${src}
    ORDER BY "timestamp", user_id, movie_id`; // the CSV order; (user, movie) is unique
  await copy(select, `${split}.parquet`);
}

// interactions.parquet
{
  const types = { user_id: 'BIGINT', movie_id: 'BIGINT', label: 'INTEGER', timestamp: 'BIGINT' };
  const src = `read_csv(${q(path.join(tmp, 'interactions.csv'))}, header = true, columns = ${columnsArg(types)})`;
  await copy(
    `SELECT user_id, movie_id, label, "timestamp" FROM ${src} ORDER BY "timestamp", user_id, movie_id`,
    'interactions.parquet',
  );
}

// tables/content_aligned.parquet
{
  const types = { movie_id: 'BIGINT', ...Object.fromEntries(range(DIM).map((k) => [`v${k}`, 'DOUBLE'])) };
  const src = `read_csv(${q(path.join(tmp, 'content_aligned.csv'))}, header = true, columns = ${columnsArg(types)})`;
  await copy(
    `SELECT movie_id, [${range(DIM)
      .map((k) => `v${k}`)
      .join(', ')}]::FLOAT[${DIM}] AS vector
    FROM ${src} ORDER BY movie_id`,
    'tables/content_aligned.parquet',
  );
}
c.closeSync?.();
