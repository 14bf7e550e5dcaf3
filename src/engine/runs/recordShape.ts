/**
 * Run records come from disk (a cloned repository's .reclens/runs, or a file named on the command line), so
 * they are checked before use: a malformed or partial record is a clear input error naming the field, not a
 * crash deep in a report or a comparison.
 */
import { inputError } from '../errors';
import type { RunRecord } from './runRecord';

/** Run ids are file names in a runs folder: letters, digits, "-" and "_" only (never a path). */
export const SAFE_RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check looks inside a value it has just tested
type Check = [string, (v: any) => boolean, string];
const str = (v: unknown) => typeof v === 'string';
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const obj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

const CHECKS: Check[] = [
  ['id', (v) => str(v) && SAFE_RUN_ID.test(v), 'a run id (letters, digits, - and _)'],
  ['kind', str, 'a string'],
  ['createdAt', str, 'a string'],
  ['config', (v) => obj(v) && str(v.file), 'an object with "file"'],
  ['model', (v) => obj(v) && str(v.file) && str(v.sha256), 'an object with "file" and "sha256"'],
  ['data', (v) => obj(v) && str(v.file) && num(v.rows), 'an object with "file" and "rows"'],
  ['seed', num, 'a number'],
  ['executionProvider', str, 'a string'],
  ['providerFallbacks', Array.isArray, 'a list'],
  ['results', obj, 'an object'],
];

/** The record, typed, or an input error naming `source` and the first field that is missing or wrong. */
export function checkRunRecord(value: unknown, source: string): RunRecord {
  if (!obj(value)) throw inputError(`${source} is not a RecLens run record (not a JSON object).`, { file: source });
  const v = value as Record<string, unknown>;
  for (const [field, ok, what] of CHECKS) {
    if (!ok(v[field]))
      throw inputError(
        `${source} is not a complete RecLens run record: "${field}" should be ${what}. Run the command again to write a new record.`,
        { file: source },
      );
  }
  if (v.options !== undefined && !obj(v.options))
    throw inputError(`${source}: "options" should be an object.`, { file: source });
  if (v.timings !== undefined && !obj(v.timings))
    throw inputError(`${source}: "timings" should be an object.`, { file: source });
  if (
    v.warnings !== undefined &&
    !(Array.isArray(v.warnings) && v.warnings.length <= 100 && v.warnings.every((w) => str(w) && w.length <= 4096))
  ) {
    throw inputError(`${source}: "warnings" should be a list of at most 100 messages.`, { file: source });
  }
  return value as unknown as RunRecord;
}

/** Parses and checks a record file's text. */
export function parseRunRecord(text: string, source: string): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw inputError(
      `${source} is not valid JSON (${(e as Error).message.slice(0, 120)}); it is not a run record RecLens wrote, or it was cut short.`,
      { file: source },
    );
  }
  return checkRunRecord(value, source);
}
