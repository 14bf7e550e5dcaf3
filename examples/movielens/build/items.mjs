// Writes examples/movielens/items.parquet (movie_id, title, year, genres, primary_genre) from MovieLens movies.csv,
// the item metadata the embedding views colour by. Run by build.sh; usage: node items.mjs <movies.csv> <out dir>
import { DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'fs';
import * as path from 'path';

const [movies, outDir] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const tmp = path.join(outDir, 'items.parquet.tmp');
await c.run(`COPY (
  SELECT movieId::BIGINT AS movie_id, title,
         TRY_CAST(regexp_extract(title, '\\((\\d{4})\\)\\s*$', 1) AS INTEGER) AS year,
         genres, split_part(genres, '|', 1) AS primary_genre
  FROM read_csv('${movies}', header = true) ORDER BY movie_id
) TO '${tmp}' (FORMAT parquet)`);
fs.renameSync(tmp, path.join(outDir, 'items.parquet'));
c.closeSync();
db.closeSync();
