// Builds bench/out/movielens-1m (or -5m): the MovieLens eval rows repeated to 1,008,350 rows (5,041,750), as
// Parquet, with a config.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');
export const OUT = path.join(here, 'out', 'movielens-1m');

export async function ensureBenchData(copies = 50) {
  const OUT = path.join(here, 'out', copies === 50 ? 'movielens-1m' : `movielens-${copies}x`);
  const cfgFile = path.join(OUT, 'reclens.json');
  if (fs.existsSync(cfgFile)) return cfgFile;
  fs.mkdirSync(OUT, { recursive: true });
  const ex = path.join(ROOT, 'examples', 'movielens');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const tmp = path.join(OUT, 'eval.parquet.tmp');
  await c.run(
    `COPY (SELECT e.* FROM read_parquet('${ex}/eval.parquet') e, range(${copies}) r ORDER BY r.range, e.timestamp) TO '${tmp}' (FORMAT parquet)`,
  );
  fs.renameSync(tmp, path.join(OUT, 'eval.parquet'));
  c.closeSync();
  db.closeSync();
  const cfg = fs
    .readFileSync(path.join(ex, 'reclens.json'), 'utf8')
    .replace('"path": "model.onnx"', `"path": ${JSON.stringify(path.join(ex, 'model.onnx'))}`)
    .replace('"path": "eval.parquet"', '"path": "eval.parquet"')
    .replace(/"path": "tables\//g, `"path": "${ex}/tables/`)
    .replace(/"ids": "tables\//g, `"ids": "${ex}/tables/`)
    .replace('"path": "interactions.parquet"', `"path": "${ex}/interactions.parquet"`)
    .replace('"$schema": "../../src/engine/config/reclens.schema.json",', '');
  fs.writeFileSync(cfgFile, cfg);
  return cfgFile;
}
