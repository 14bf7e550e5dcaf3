/** One DuckDB in-memory database per job, and the SQL that reads a user's file by its extension. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { inputError, nativeReason } from '../errors';
import { realPath } from '../util/fileRoots';
import { assertReadableFile } from '../util/safeFile';

export interface Duck {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

/**
 * An in-memory DuckDB that can read only `files` (the files a config declares, resolved to absolute paths) and
 * its own private spill folder: external access is switched off and the configuration locked before anything
 * else runs, so a query that slipped past the filter check still cannot read, write, attach or install
 * anything else. `threads` is DuckDB's worker count; `base` is the folder messages name files relative to.
 */
export async function openDuck(threads: number, files: readonly string[], base?: string): Promise<Duck> {
  // Regular files only (a FIFO would block a DuckDB read forever), within the size limit.
  for (const f of files) await assertReadableFile(f, 'Data file', base);
  // Loaded lazily so activation and `reclens --help` do not pay for the native module.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const spill = fs.mkdtempSync(path.join(os.tmpdir(), 'reclens-duck-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  const list = (xs: readonly string[]) => `[${xs.map(sqlString).join(', ')}]`;
  const release = () => {
    conn.closeSync();
    instance.closeSync();
    fs.rmSync(spill, { recursive: true, force: true });
  };
  try {
    for (const stmt of [
      `SET temp_directory = ${sqlString(spill)}`,
      `SET allowed_directories = ${list([spill + path.sep])}`,
      // Real paths: DuckDB resolves links in both the list and each query, so a listed link would admit its target.
      `SET allowed_paths = ${list([...new Set(files.map((f) => realPath(f)))])}`,
      'SET autoinstall_known_extensions = false',
      'SET autoload_known_extensions = false',
      'SET enable_external_access = false',
      'SET lock_configuration = true',
    ])
      await conn.run(stmt);
  } catch (e) {
    release();
    throw e;
  }
  return { instance, conn, close: release };
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A table expression that reads the file, chosen by extension. */
export function readExpression(file: string): string {
  const ext = path.extname(file).toLowerCase();
  const f = sqlString(file);
  switch (ext) {
    case '.csv':
      return `read_csv(${f}, header = true, auto_detect = true)`;
    case '.tsv':
      return `read_csv(${f}, header = true, delim = '\t', auto_detect = true)`;
    case '.parquet':
      return `read_parquet(${f})`;
    case '.jsonl':
    case '.ndjson':
      return `read_json_auto(${f}, format = 'newline_delimited')`;
    case '.json':
      return `read_json_auto(${f})`;
    default:
      throw inputError(`${file}: unsupported data format "${ext}". Use .csv, .tsv, .parquet, .jsonl or .json.`, {
        file,
      });
  }
}

/** Words a DuckDB failure to read a user's file as an input error naming the file. */
export function dataReadError(file: string, err: unknown): Error {
  // DuckDB quotes the offending line of a CSV; keep the reason, not the file's contents.
  const reason = nativeReason(err).replace(/\s*Original Line:.*$/i, '');
  let advice = 'Check that the file is complete and in the format its extension says.';
  if (/parquet/i.test(reason) && /(magic|footer|too small|corrupt|invalid)/i.test(reason))
    advice = 'The Parquet file looks truncated or corrupt: write it again.';
  else if (/csv/i.test(reason))
    advice = 'Check the CSV header and that every line has the same number of fields (the reason names the line).';
  else if (/json/i.test(reason)) advice = 'Each line must be one JSON object (JSON Lines).';
  return inputError(`Cannot read data file ${file}: ${reason}. ${advice}`, { file });
}
