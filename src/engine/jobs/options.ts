/**
 * How a job option is described once: its name in the job's options (and in the run record), its CLI flag, type,
 * default, help and validation. The CLI derives its flags and help from these descriptions, the editor checks the
 * arguments it passes against them, and the Reproduce line is built from them. Pure data: no job code is loaded here.
 */
import type { ProviderName } from '../config/types';
import { usageError } from '../errors';

export type OptionType =
  /** A whole number, at least `min` (default 0). */
  | 'int'
  | 'string'
  /** One of `choices`. */
  | 'choice'
  /** A comma-separated list on the command line (`--slots a,b+c`), a string array in the options. */
  | 'list'
  /** A flag without a value. */
  | 'boolean'
  /** A flag given any number of times (`--sweep window=7d --sweep minCount=2`), turned into a value by `parse`. */
  | 'repeated';

export interface OptionSpec<O = Record<string, unknown>> {
  /** The key in the job's options object and in the run record's `options`. */
  name: keyof O & string;
  /** The CLI flag, without the dashes. */
  flag: string;
  type: OptionType;
  /** The placeholder in the usage line (`--repeats R`). */
  value?: string;
  help: string;
  /** Applied by the CLI when the flag is absent (the engine applies the same default when the option is unset). */
  default?: number | string | boolean;
  min?: number;
  choices?: readonly string[];
  /** For lists with choices: what one item is called in the error ("unknown provider x"). */
  item?: string;
  /** A boolean flag that turns the option off (`--no-slices` sets `slices: false`). */
  negated?: boolean;
  /** The message when the option is missing; absent: the option is optional. */
  required?: string;
  /** Turns the raw values of a repeated flag into the option's value (undefined when none was given). */
  parse?: (raw: string[]) => Promise<unknown>;
  /** Shared by most jobs: `--help` lists it once, under "Common options". */
  common?: boolean;
}

export const PROVIDER_NAMES: readonly ProviderName[] = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'];

// The options most jobs share. Each job lists the ones it takes, in the order its options object is built.
export const SEED: OptionSpec<{ seed?: number }> = {
  name: 'seed',
  flag: 'seed',
  type: 'int',
  value: 'S',
  default: 0,
  common: true,
  help: 'seed of every random choice (sampling, permutations, bootstrap, folds)',
};
export const LIMIT: OptionSpec<{ limit?: number }> = {
  name: 'limit',
  flag: 'limit',
  type: 'int',
  value: 'N',
  common: true,
  help: 'use only the first N evaluation rows',
};
export const PROVIDERS: OptionSpec<{ providers?: ProviderName[] }> = {
  name: 'providers',
  flag: 'providers',
  type: 'list',
  value: 'cuda,webgpu,cpu',
  choices: PROVIDER_NAMES,
  item: 'provider',
  common: true,
  help: 'execution providers to try in order (default: runtime.executionProviders of the config)',
};
export const BATCH_SIZE: OptionSpec<{ batchSize?: number }> = {
  name: 'batchSize',
  flag: 'batch-size',
  type: 'int',
  value: 'N',
  min: 1,
  common: true,
  help: 'rows per inference call (default: runtime.batchSize of the config, else 8192 or fewer for a wide model)',
};

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A command-line value converted and checked the way its description says (raw: what the flag parser gave). */
export async function optionFromFlag(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any option of any job: its value type does not matter here
  o: OptionSpec<any>,
  raw: string | boolean | string[] | undefined,
): Promise<unknown> {
  switch (o.type) {
    case 'boolean':
      return o.negated ? !raw : !!raw;
    case 'repeated':
      return o.parse ? o.parse((raw as string[] | undefined) ?? []) : raw;
    case 'int': {
      if (raw === undefined) return o.default;
      const v = raw as string,
        min = o.min ?? 0;
      if (!/^\d+$/.test(v) || Number(v) < min) throw usageError(`--${o.flag} takes an integer >= ${min}, not "${v}".`);
      return Number(v);
    }
    case 'choice': {
      const v = (raw as string | undefined) ?? (o.default as string | undefined);
      if (v !== undefined && !o.choices!.includes(v))
        throw usageError(`--${o.flag} takes ${orList(o.choices!)}, not "${v}".`);
      return v;
    }
    case 'list': {
      if (!raw) return o.default;
      const list = (raw as string)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      const bad = o.choices ? list.filter((x) => !o.choices!.includes(x)) : [];
      if (bad.length)
        throw usageError(
          `--${o.flag}: unknown ${o.item ?? 'value'} ${bad.join(', ')} (known: ${o.choices!.join(', ')}).`,
        );
      return list;
    }
    case 'string':
      return (raw as string | undefined) ?? o.default;
  }
}

/** A value given by the editor (a command argument or a panel), checked against the same description. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any option of any job: its value type does not matter here
export function checkOptionValue(job: string, o: OptionSpec<any>, v: unknown): unknown {
  const bad = (what: string) =>
    usageError(`${job}: option "${o.name}" takes ${what}, not ${JSON.stringify(v)?.slice(0, 80)}.`);
  switch (o.type) {
    case 'int':
      if (!Number.isInteger(v) || (v as number) < (o.min ?? 0)) throw bad(`an integer >= ${o.min ?? 0}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw bad('true or false');
      return v;
    case 'string':
      if (typeof v !== 'string') throw bad('a string');
      return v;
    case 'choice':
      if (typeof v !== 'string' || !o.choices!.includes(v)) throw bad(orList(o.choices!.map((c) => `"${c}"`)));
      return v;
    case 'list':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || (o.choices && !o.choices.includes(x))))
        throw bad(o.choices ? `a list of ${orList(o.choices)}` : 'a list of strings');
      return v;
    case 'repeated':
      // Already parsed by the caller (e.g. a sweep spec object).
      if (v === null || typeof v !== 'object') throw bad('an object');
      return v;
  }
}
