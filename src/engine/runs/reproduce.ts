/**
 * The command line that reproduces a run: every option that shaped its numbers (seed, bootstrap, slots, method,
 * candidates, preferences, tables, ...), built from the options the engine recorded, so runs started in the editor
 * get one too. Options that only change speed or where output goes (providers, batch size, --out) are left out.
 */
type Options = Record<string, unknown>;

const list = (v: unknown): string | undefined => (Array.isArray(v) && v.length ? v.map(String).join(',') : typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** A window in seconds as `parseDuration` reads it back: whole days as "7d", else seconds. */
const window = (seconds: number): string => (seconds % 86400 === 0 ? `${seconds / 86400}d` : `${seconds}s`);

/** The LIS sensitivity sweep (`{ window: seconds[], minCount: number[] }`) as `--sweep window=… --sweep minCount=…`. */
function sweepFlags(sweep: unknown): [string, string | undefined][] {
  const spec = (sweep ?? {}) as { window?: number[]; minCount?: number[] };
  return [
    ['--sweep', spec.window?.length ? `window=${spec.window.map(window).join(',')}` : undefined],
    ['--sweep', spec.minCount?.length ? `minCount=${spec.minCount.join(',')}` : undefined],
  ];
}

/** Flags per kind of run, in the order `reclens --help` lists them. */
const FLAGS: Record<string, (o: Options) => [string, string | boolean | undefined][]> = {
  eval: (o) => [['--bootstrap', num(o.bootstrap)], ['--limit', num(o.limit)]],
  ablate: (o) => [['--slots', list(o.slots)], ['--method', o.method as string], ['--repeats', num(o.repeats)], ['--within-group', !!o.withinGroup], ['--bootstrap', num(o.bootstrap)], ['--limit', num(o.limit)]],
  ceiling: (o) => [['--slots', list(o.slots)], ['--candidates', num(o.candidates)], ['--limit', num(o.limit)]],
  lis: (o) => [['--preferences', list(o.preferences)], ['--tables', list(o.tables)], ['--folds', num(o.folds)], ['--splits', num(o.splits)], ...sweepFlags(o.sweep), ['--substitution', !!o.substitution], ['--bootstrap', num(o.bootstrap)], ['--limit', num(o.limit)]],
  embed: (o) => [['--table', o.table as string], ['--method', o.method as string], ['--sample', num(o.sample)], ['--k', num(o.k)]],
  align: (o) => [['--table', o.table as string], ['--against', o.against as string], ['--preferences', o.preferences as string], ['--codes', o.codes as string], ['--k', num(o.k)]],
};

/** argv (without the program name) that re-runs `kind` on `configFile` with the recorded options and seed. */
export function reproduceArgs(kind: string, configFile: string, seed: number, options: Options): string[] {
  const args = [kind, '--config', configFile];
  for (const [flag, value] of FLAGS[kind]?.(options) ?? []) {
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
export function reproduceLine(record: { kind: string; config: { file: string }; seed: number; options: Options; invocation?: string[] }): string {
  const argv = record.invocation ?? reproduceArgs(record.kind, record.config.file, record.seed, record.options ?? {});
  return ['reclens', ...argv].map(shellQuote).join(' ');
}
