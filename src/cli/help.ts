/** `reclens --help` and `reclens <command> --help`: the job commands' usage and options come from the job registry. */
import { JOB_KINDS, JobKind, jobSpec } from '../engine/jobs/registry';
import type { OptionSpec } from '../engine/jobs/options';

const WIDTH = 118;

/** Flags every job command takes besides its job's options. */
const JOB_CLI_FLAGS: [string, string][] = [
  ['--config C', 'the reclens.json to run (required)'],
  ['--json', 'print the result as JSON instead of text'],
  ['--runs-dir D', 'where the run record goes (default .reclens/runs beside the config)'],
  ['--no-record', 'write no run record'],
  ['--quiet', 'no progress bar (it is drawn on stderr only when stderr is a terminal)'],
  ['--progress', 'progress lines even when stderr is not a terminal'],
  ['--max-file-size MB', 'largest model, data or table file read (default 4096)'],
  ['--row-cache-max-mb MB', 'disk for decoded rows in .reclens/cache; least recently used go first (default 4096)'],
  [
    '--model-cache-max-mb MB',
    'disk for saved model graphs in .reclens/model-cache; least recently used go first (default 4096)',
  ],
  ['--allow-outside DIR', "a config's files must lie in its folder, links followed; this allows DIR too (repeatable)"],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any option of any job: its value type does not matter here
function flagText(o: OptionSpec<any>): string {
  if (o.type === 'boolean') return `--${o.flag}`;
  return `--${o.flag} ${o.type === 'choice' ? o.choices!.join('|') : (o.value ?? 'X')}`;
}

/** Words filled into lines of at most WIDTH characters; continuation lines start under the first word after `lead`. */
function fill(lead: string, words: string[]): string {
  const lines: string[] = [];
  let line = lead;
  for (const w of words) {
    if (line.length > lead.length && line.length + 1 + w.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(lead.length) + w;
    } else line += (line.length > lead.length ? ' ' : '') + w;
  }
  lines.push(line);
  return lines.join('\n');
}

/** `  reclens ablate --config C [--slots a,b+c] ... [--seed S] [--json]`, wrapped, with the job's note below it. */
export function jobUsage(kind: JobKind): string {
  const spec = jobSpec(kind);
  const words = ['--config C'];
  for (const o of spec.options) if (!o.common) words.push(o.required ? flagText(o) : `[${flagText(o)}]`);
  if (spec.options.some((o) => o.name === 'seed')) words.push('[--seed S]');
  words.push('[--json]');
  const lead = `  reclens ${kind} `;
  return fill(lead, words) + (spec.note ? `\n${' '.repeat(lead.length)}(${spec.note})` : '');
}

function optionLines(rows: [string, string][]): string[] {
  const w = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, h]) => `  ${f.padEnd(w)}${h}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any option of any job: its value type does not matter here
function describe(o: OptionSpec<any>): string {
  const dflt = o.default !== undefined && o.type !== 'boolean' ? ` (default ${o.default})` : '';
  return `${o.help}${dflt}`;
}

/** The options common to the job commands, once for all of them. */
function commonOptions(): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const kind of JOB_KINDS)
    for (const o of jobSpec(kind).options)
      if (o.common && !seen.has(o.flag)) seen.set(o.flag, [flagText(o), describe(o)]);
  return [...seen.values()];
}

export const HELP = `reclens: debug recommender (ranking / CTR) models on your own data

Usage:
  reclens init [--model M] [--data D] [--out reclens.json] [--yes] [--json]
               (finds the model and data in the folder of --out when not given; --yes replaces an existing file)
  reclens inspect (--config C | --model M [--data D] | --data D) [--json]
${JOB_KINDS.map(jobUsage).join('\n')}
  reclens compare --run A --run B [--config C | --runs-dir D] [--bootstrap B] [--json]
  reclens report (--run ID|FILE | --latest) [--config C | --runs-dir D] [--out report.html]
  reclens check --config C [--json]
  reclens rows --config C [--slice S] [--worst N] [--search TEXT] [--json]   (rows the model gets most wrong)
  reclens rows --config C --row I [--k K] [--json]       (one row: occlusion per slot, smallest flipping change)
  reclens cache --config C [--clear] [--json]            (decoded rows kept in .reclens/cache beside the config;
                                                          --clear removes that folder, nothing else)

Common options (${JOB_KINDS.join(', ')}; rows takes the first four too):
${optionLines([...commonOptions(), ...JOB_CLI_FLAGS.slice(2)]).join('\n')}
reclens <eval|ablate|ceiling|lis|embed|align> --help lists the job's options with what each does.

Exit codes: 0 success, 1 usage error, 2 bad input (config, data or model), 3 internal error.`;

/** `reclens ablate --help`: what the job does, its usage line, and every option with its help and default. */
export function jobHelp(kind: JobKind): string {
  const spec = jobSpec(kind);
  return [
    `reclens ${kind}: ${spec.summary}`,
    '',
    'Usage:',
    jobUsage(kind),
    '',
    'Options:',
    ...optionLines([...spec.options.map((o): [string, string] => [flagText(o), describe(o)]), ...JOB_CLI_FLAGS]),
  ].join('\n');
}
