/** `reclens`: the engine from a terminal or CI. Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error. */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { loadConfig } from '../engine/config/loadConfig';
import type { ProviderName } from '../engine/config/types';
import { RecLensError, usageError } from '../engine/errors';
import { ablateCommand, ceilingCommand, lisCommand } from './commands/ablateCommands';
import { checkCommand } from './commands/check';
import { compareCommand } from './commands/compare';
import { alignCommand, embedCommand } from './commands/embeddingCommands';
import { reportCommand } from './commands/report';
import { evalCommand } from './commands/evalCommand';
import { initCommand } from './commands/init';
import { inspectCommand } from './commands/inspect';
import { rowsCommand } from './commands/rows';
import { Io, processIo } from './io';
import { setAllowedFolders } from '../engine/util/fileRoots';
import { relativePaths } from '../engine/util/messagePaths';
import { DEFAULT_MAX_FILE_MB, setMaxFileSizeMB } from '../engine/util/safeFile';

const HELP = `reclens: debug recommender (ranking / CTR) models on your own data

Usage:
  reclens init [--model M] [--data D] [--out reclens.json] [--yes] [--json]
               (finds the model and data in the folder of --out when not given; --yes replaces an existing file)
  reclens inspect (--config C | --model M [--data D] | --data D) [--json]
  reclens eval --config C [--json] [--limit N] [--seed S] [--bootstrap B]
               [--providers cuda,webgpu,cpu] [--batch-size N] [--runs-dir D] [--no-record] [--progress] [--no-slices]
  reclens ablate --config C [--slots a,b+c] [--slice S] [--method mask|permute|both] [--repeats R] [--within-group]
                 [--bootstrap B] [--seed S] [--json]      ("b+c": slots ablated together)
  reclens ceiling --config C [--slots a,b] [--candidates K] [--seed S] [--json]
  reclens lis --config C [--preferences p1,p2] [--tables t1,t2] [--folds F] [--splits S] [--bootstrap B] [--seed S]
              [--sweep window=7d,30d,90d --sweep minCount=1,2,5] [--substitution] [--json]
  reclens embed --config C --table T [--method pca|umap] [--sample N] [--k K] [--seed S] [--out coords.parquet] [--json]
  reclens align --config C --table T [--against T2] [--preferences P] [--codes CODES] [--k K] [--json]
                (T: a table in reclens.json, or onnx:<initializer> for the ranker's own id embeddings)
  reclens compare --run A --run B [--config C | --runs-dir D] [--bootstrap B] [--json]
  reclens report (--run ID|FILE | --latest) [--config C | --runs-dir D] [--out report.html]
  reclens check --config C [--json]
  reclens rows --config C [--slice S] [--worst N] [--search TEXT] [--json]   (rows the model gets most wrong)
  reclens rows --config C --row I [--k K] [--json]       (one row: occlusion per slot, smallest flipping change)

Common options: --limit N, --providers cuda,webgpu,cpu, --batch-size N, --runs-dir D, --no-record,
  --max-file-size MB (largest model, data or table file read; default 4096),
  --allow-outside DIR (a config's files must lie in its folder, links followed; this allows DIR too; repeatable).
  --quiet (no progress bar; it is drawn on stderr only when stderr is a terminal), --progress (progress lines even
  when stderr is not a terminal).

Exit codes: 0 success, 1 usage error, 2 bad input (config, data or model), 3 internal error.`;

const PROVIDERS = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'];

function intOption(v: string | undefined, name: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw usageError(`--${name} takes an integer >= ${min}, not "${v}".`);
  return Number(v);
}

/** Puts file:line:column in front of a message about a config field. */
function positioned(e: RecLensError): string {
  const file = e.where.file;
  if (e.where.path && file && file.endsWith('.json') && fs.existsSync(file)) {
    try {
      const loaded = loadConfig(file);
      const { start } = loaded.locator.rangeOf(e.where.path);
      return `${file}:${start.line}:${start.column}: ${e.message}`;
    } catch { /* fall through */ }
  }
  return e.message;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return command ? 0 : 1;
    }
    const { values } = (() => {
      try {
        return parseArgs({
          args: rest, allowPositionals: false, strict: true,
          options: {
            config: { type: 'string', short: 'c' }, model: { type: 'string' }, json: { type: 'boolean', default: false },
            limit: { type: 'string' }, seed: { type: 'string' }, bootstrap: { type: 'string' }, providers: { type: 'string' },
            'batch-size': { type: 'string' }, 'runs-dir': { type: 'string' }, 'no-record': { type: 'boolean', default: false },
            progress: { type: 'boolean', default: false }, slots: { type: 'string' }, method: { type: 'string' },
            repeats: { type: 'string' }, 'within-group': { type: 'boolean', default: false }, candidates: { type: 'string' },
            preferences: { type: 'string' }, tables: { type: 'string' }, run: { type: 'string', multiple: true }, latest: { type: 'boolean', default: false },
            out: { type: 'string' }, table: { type: 'string' }, against: { type: 'string' }, codes: { type: 'string' },
            sample: { type: 'string' }, k: { type: 'string' }, substitution: { type: 'boolean', default: false },
            'max-file-size': { type: 'string' }, 'allow-outside': { type: 'string', multiple: true },
            folds: { type: 'string' }, splits: { type: 'string' }, sweep: { type: 'string', multiple: true },
            quiet: { type: 'boolean', short: 'q', default: false },
            data: { type: 'string' }, yes: { type: 'boolean', default: false },
            'no-slices': { type: 'boolean', default: false }, slice: { type: 'string' }, worst: { type: 'string' }, search: { type: 'string' }, row: { type: 'string' },
          },
        });
      } catch (e) {
        throw usageError(`${(e as Error).message}\n\n${HELP}`);
      }
    })();
    setMaxFileSizeMB(intOption(values['max-file-size'], 'max-file-size', 1) ?? DEFAULT_MAX_FILE_MB);
    setAllowedFolders(values['allow-outside'] ?? []);
    if (values.config) {
      // Messages name the config as given and its files relative to its folder (--json output keeps its paths).
      const given = values.config, absConfig = path.resolve(given), shown = (t: string) => relativePaths(t.split(absConfig).join(given), path.dirname(absConfig));
      const raw = io;
      io = { ...raw, out: (t) => raw.out(values.json ? t : shown(t)), err: (t) => raw.err(shown(t)) };
    }
    const providers = (() => {
      if (!values.providers) return undefined;
      const list = values.providers.split(',').map((p) => p.trim()) as ProviderName[];
      const bad = list.filter((p) => !PROVIDERS.includes(p));
      if (bad.length) throw usageError(`--providers: unknown provider ${bad.join(', ')} (known: ${PROVIDERS.join(', ')}).`);
      return list;
    })();
    const common = () => {
      if (!values.config) throw usageError(`${command} needs --config <reclens.json>.`);
      return {
        config: values.config, json: !!values.json, seed: intOption(values.seed, 'seed') ?? 0, limit: intOption(values.limit, 'limit'),
        providers, batchSize: intOption(values['batch-size'], 'batch-size', 1), runsDir: values['runs-dir'], record: !values['no-record'],
        quiet: !!values.quiet, progress: !!values.progress,
      };
    };
    const slots = values.slots ? values.slots.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    switch (command) {
      case 'init':
        return await initCommand({ model: values.model, data: values.data, out: values.out, yes: !!values.yes, json: !!values.json }, io);
      case 'inspect':
        return await inspectCommand({ config: values.config, model: values.model, data: values.data, json: !!values.json }, io);
      case 'eval':
        return await evalCommand({ ...common(), bootstrap: intOption(values.bootstrap, 'bootstrap') ?? 0, slices: !values['no-slices'] }, io);
      case 'ablate': {
        const method = (values.method ?? 'both') as 'mask' | 'permute' | 'both';
        if (!['mask', 'permute', 'both'].includes(method)) throw usageError(`--method takes mask, permute or both, not "${method}".`);
        return await ablateCommand({ ...common(), slots, method, repeats: intOption(values.repeats, 'repeats', 1) ?? 5, bootstrap: intOption(values.bootstrap, 'bootstrap') ?? 200, withinGroup: !!values['within-group'], slice: values.slice }, io);
      }
      case 'ceiling':
        return await ceilingCommand({ ...common(), slots, candidates: intOption(values.candidates, 'candidates', 2) ?? 32 }, io);
      case 'lis': {
        const list = (v?: string) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
        return await lisCommand({ ...common(), preferences: list(values.preferences), tables: list(values.tables), bootstrap: intOption(values.bootstrap, 'bootstrap') ?? 200, substitution: !!values.substitution, folds: intOption(values.folds, 'folds', 2), splits: intOption(values.splits, 'splits', 1), sweep: values.sweep }, io);
      }
      case 'embed':
        return await embedCommand({ ...common(), table: values.table, method: values.method ?? 'pca', sample: intOption(values.sample, 'sample', 3), out: values.out, k: intOption(values.k, 'k', 1) }, io);
      case 'align':
        return await alignCommand({ ...common(), table: values.table, against: values.against, preferences: values.preferences, codes: values.codes, k: intOption(values.k, 'k', 1) }, io);
      case 'compare':
        return await compareCommand({ runs: values.run ?? [], config: values.config, runsDir: values['runs-dir'], json: !!values.json, bootstrap: intOption(values.bootstrap, 'bootstrap') ?? 200, seed: intOption(values.seed, 'seed'), quiet: !!values.quiet, progress: !!values.progress }, io);
      case 'report':
        return await reportCommand({ config: values.config, run: values.run?.[0], latest: !!values.latest, out: values.out, runsDir: values['runs-dir'] }, io);
      case 'check':
        if (!values.config) throw usageError('check needs --config <reclens.json>.');
        return await checkCommand({ config: values.config, json: !!values.json }, io);
      case 'rows':
        return await rowsCommand({ ...common(), slice: values.slice, worst: intOption(values.worst, 'worst', 1) ?? 20, search: values.search, row: intOption(values.row, 'row'), k: intOption(values.k, 'k', 1) ?? 16 }, io);
      default:
        throw usageError(`Unknown command "${command}".\n\n${HELP}`);
    }
  } catch (e) {
    if (e instanceof RecLensError) {
      io.err(`reclens: ${e.kind === 'usage' ? 'usage error' : 'error'}: ${positioned(e)}`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(`reclens: internal error: ${err?.message ?? String(e)}. This is a bug in RecLens; please report it${process.env.RECLENS_DEBUG ? '' : ' (set RECLENS_DEBUG=1 to see the stack)'}.`);
    if (process.env.RECLENS_DEBUG) io.err(String(err?.stack));
    return 3;
  }
}

// `node out/src/cli/main.js ...` works as well as bin/reclens.
if (require.main === module) void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
