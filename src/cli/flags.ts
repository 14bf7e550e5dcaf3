/**
 * The command line's flags: those of the job commands come from the engine's job registry, the others (files, output,
 * run records) are listed here. One parser accepts every flag for every command, as before the registry.
 */
import { parseArgs } from 'util';
import { usageError } from '../engine/errors';
import { OptionSpec, optionFromFlag, BATCH_SIZE, LIMIT, PROVIDERS, SEED } from '../engine/jobs/options';
import { JOB_KINDS, JobKind, JobOptionsOf, jobSpec } from '../engine/jobs/registry';
import type { ProviderName } from '../engine/config/types';

/** What the parser gives: flag name (without dashes) -> value. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

type ParseSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: boolean };

/** Flags that are not job options: where files and output go, and the commands that take no config job. */
const CLI_FLAGS: Record<string, ParseSpec> = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean', default: false },
  'runs-dir': { type: 'string' },
  'no-record': { type: 'boolean', default: false },
  progress: { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  'max-file-size': { type: 'string' },
  'row-cache-max-mb': { type: 'string' },
  'model-cache-max-mb': { type: 'string' },
  'allow-outside': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
  model: { type: 'string' },
  data: { type: 'string' },
  yes: { type: 'boolean', default: false },
  out: { type: 'string' },
  run: { type: 'string', multiple: true },
  latest: { type: 'boolean', default: false },
  clear: { type: 'boolean', default: false },
  bootstrap: { type: 'string' },
  slice: { type: 'string' },
  worst: { type: 'string' },
  search: { type: 'string' },
  row: { type: 'string' },
  k: { type: 'string' },
  seed: { type: 'string' },
  limit: { type: 'string' },
  providers: { type: 'string' },
  'batch-size': { type: 'string' },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any option of any job: its value type does not matter here
function parseSpecOf(o: OptionSpec<any>): ParseSpec {
  if (o.type === 'boolean') return { type: 'boolean', default: false };
  if (o.type === 'repeated') return { type: 'string', multiple: true };
  return { type: 'string' };
}

/** The parser's table: the CLI's own flags and every job option's flag (a flag shared by jobs must parse alike). */
export function parserOptions(): Record<string, ParseSpec> {
  const all: Record<string, ParseSpec> = { ...CLI_FLAGS };
  for (const kind of JOB_KINDS) {
    for (const o of jobSpec(kind).options) {
      const want = parseSpecOf(o),
        have = all[o.flag];
      if (have && (have.type !== want.type || !!have.multiple !== !!want.multiple))
        throw new Error(`--${o.flag} of ${kind} parses differently from another --${o.flag}`);
      all[o.flag] = have ?? want;
    }
  }
  return all;
}

export function parseFlags(args: string[], help: string): Flags {
  try {
    return parseArgs({ args, allowPositionals: false, strict: true, options: parserOptions() }).values as Flags;
  } catch (e) {
    throw usageError(`${(e as Error).message}\n\n${help}`);
  }
}

export const flagString = (f: Flags, name: string): string | undefined => f[name] as string | undefined;
export const flagBool = (f: Flags, name: string): boolean => !!f[name];

/** An integer flag of a command that is not a job option (--worst, --row), checked like a job option. */
export async function intFlag(f: Flags, flag: string, min = 0): Promise<number | undefined> {
  return (await optionFromFlag({ name: flag, flag, type: 'int', min, help: '' }, flagString(f, flag))) as
    number | undefined;
}

/** The flags every config job takes that are not options of the job: the config, output and the run record. */
export interface CliArgs {
  config: string;
  json: boolean;
  runsDir?: string;
  record: boolean;
  quiet?: boolean;
  progress?: boolean;
}

export function cliArgs(command: string, f: Flags): CliArgs {
  const config = flagString(f, 'config');
  if (!config) throw usageError(`${command} needs --config <reclens.json>.`);
  return {
    config,
    json: flagBool(f, 'json'),
    runsDir: flagString(f, 'runs-dir'),
    record: !f['no-record'],
    quiet: flagBool(f, 'quiet'),
    progress: flagBool(f, 'progress'),
  };
}

/** A job's options from the command line, in the order the registry lists them, each converted and checked. */
export async function jobOptionsFromFlags<K extends JobKind>(kind: K, f: Flags): Promise<JobOptionsOf<K>> {
  const spec = jobSpec(kind);
  const options: Record<string, unknown> = {};
  for (const o of spec.options) options[o.name] = await optionFromFlag(o, f[o.flag]);
  for (const o of spec.options) if (o.required && options[o.name] === undefined) throw usageError(o.required);
  return options as JobOptionsOf<K>;
}

/** The shared options of a command that scores rows outside the registry (`reclens rows`). */
export async function runtimeOptions(
  f: Flags,
): Promise<{ seed: number; limit?: number; providers?: ProviderName[]; batchSize?: number }> {
  return {
    seed: (await optionFromFlag(SEED, flagString(f, 'seed'))) as number,
    limit: (await optionFromFlag(LIMIT, flagString(f, 'limit'))) as number | undefined,
    providers: (await optionFromFlag(PROVIDERS, flagString(f, 'providers'))) as ProviderName[] | undefined,
    batchSize: (await optionFromFlag(BATCH_SIZE, flagString(f, 'batch-size'))) as number | undefined,
  };
}
