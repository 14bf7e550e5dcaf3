/**
 * The command line that reproduces a run: every option that shaped its numbers (seed, bootstrap, slots, method,
 * candidates, preferences, tables, ...), built from the options the engine recorded, so runs started in the editor
 * get one too. Options that only change speed or where output goes (providers, batch size, --out) are left out.
 */
import { isJobKind, jobSpec } from '../jobs/registry';

type Options = Record<string, unknown>;

const list = (v: unknown): string | undefined =>
  Array.isArray(v) && v.length ? v.map(String).join(',') : typeof v === 'string' && v ? v : undefined;
const num = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** A window in seconds as `parseDuration` reads it back: whole days as "7d", else seconds. */
const window = (seconds: number): string => (seconds % 86400 === 0 ? `${seconds / 86400}d` : `${seconds}s`);

/** The LIS sensitivity sweep (`{ window: seconds[], minCount: number[] }`) as `--sweep window=… --sweep minCount=…`. */
function sweepFlags(flag: string, sweep: unknown): [string, string | undefined][] {
  const spec = (sweep ?? {}) as { window?: number[]; minCount?: number[] };
  return [
    [flag, spec.window?.length ? `window=${spec.window.map(window).join(',')}` : undefined],
    [flag, spec.minCount?.length ? `minCount=${spec.minCount.join(',')}` : undefined],
  ];
}

/** The flags of a kind of run, in the order of the job's `reproduce` list in the registry. */
function flags(kind: string, o: Options): [string, string | boolean | undefined][] {
  if (!isJobKind(kind)) return [];
  const spec = jobSpec(kind);
  return spec.reproduce.flatMap((name): [string, string | boolean | undefined][] => {
    const opt = spec.options.find((x) => x.name === name)!;
    const v = o[name];
    if (opt.type === 'repeated') return sweepFlags(`--${opt.flag}`, v);
    const value =
      opt.type === 'list' ? list(v) : opt.type === 'int' ? num(v) : opt.type === 'boolean' ? !!v : (v as string);
    return [[`--${opt.flag}`, value]];
  });
}

/** argv (without the program name) that re-runs `kind` on `configFile` with the recorded options and seed. */
export function reproduceArgs(kind: string, configFile: string, seed: number, options: Options): string[] {
  const args = [kind, '--config', configFile];
  for (const [flag, value] of flags(kind, options)) {
    if (value === true) args.push(flag);
    else if (typeof value === 'string' && value !== '') args.push(flag, value);
  }
  args.push('--seed', String(seed));
  return args;
}

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_\-.,/:=+@%]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The line a user pastes into a terminal: `reclens eval --config ... --seed 7`. */
export function reproduceLine(record: {
  kind: string;
  config: { file: string };
  seed: number;
  options: Options;
  invocation?: string[];
}): string {
  const argv = record.invocation ?? reproduceArgs(record.kind, record.config.file, record.seed, record.options ?? {});
  return ['reclens', ...argv].map(shellQuote).join(' ');
}
