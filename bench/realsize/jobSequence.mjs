// Jobs one after another in one process, as the editor runs them (docs/performance.md, "Round 9: the real-size
// model end to end"): since round 9 a job hands its inference worker to the next job on the same model
// (src/engine/model/sessionKeeper.ts). Each variant runs in a fresh child process, old build and this one
// interleaved --reps times; each prints every job's wall and CPU seconds (whole process, all threads), its run
// record's open seconds where it has them, and the 1-minute load. Seed 1, CPU provider, bootstrap 0.
//   node bench/realsize/jobSequence.mjs [--reps N] [--old DIR] [editor-old editor-new realsize-old realsize-new ...]
// editor:   bench/out/movielens-1m (1,008,350 rows): eval, ablate (slots genres and item_content, mask + 1
//           permutation), ceiling (slot genres, K = 4), all rows; the decoded rows are kept between jobs (both builds).
// realsize: bench/out/realsize (209 MB model, 1M rows): eval, eval; the model cache warm (its saved graph is made
//           first, in a process of its own, if missing).
import * as fs from 'fs';
import * as path from 'path';
import { commandLine, cpuNow, load1, moduleContext, round3, runVariants } from './variants.mjs';

const { require, here, script } = moduleContext(import.meta.url);
const OUT = path.join(here, '..', 'out');

if (process.env.RECLENS_VARIANT) {
  const [data, which] = process.env.RECLENS_VARIANT.split('-');
  const build = which === 'old' ? process.env.RECLENS_SEQ_OLD : path.join(here, '..', '..', 'out');
  const { requireConfig } = require(path.join(build, 'src/engine/config/loadConfig.js'));
  const { evaluate } = require(path.join(build, 'src/engine/evaluate.js'));
  const { ablate } = require(path.join(build, 'src/engine/ablation/ablate.js'));
  const { ceiling } = require(path.join(build, 'src/engine/ablation/ceiling.js'));
  const dir = path.join(OUT, data === 'editor' ? 'movielens-1m' : 'realsize');
  const { config } = requireConfig(path.join(dir, 'reclens.json'));
  const common = { providers: ['cpu'], seed: 1, bootstrap: 0 };
  const jobs =
    data === 'editor'
      ? [
          ['eval', () => evaluate(config, common)],
          ['ablate', () => ablate(config, { ...common, slots: ['genres', 'item_content'], repeats: 1 })],
          ['ceiling', () => ceiling(config, { ...common, slots: ['genres'], candidates: 4 })],
        ]
      : [
          ['eval', () => evaluate(config, common)],
          ['eval2', () => evaluate(config, common)],
        ];
  const out = {};
  const cpu = () => cpuNow().user + cpuNow().system;
  const t0 = performance.now();
  for (const [name, run] of jobs) {
    const c = cpu(),
      t = performance.now(),
      load = load1();
    const r = await run();
    out[name] = {
      wall: round3((performance.now() - t) / 1000),
      cpu: round3(cpu() - c),
      open: r.record.timings.openSeconds !== undefined ? round3(r.record.timings.openSeconds) : undefined,
      load1: load,
      ...(r.result.auc !== undefined ? { auc: r.result.auc } : {}),
    };
  }
  out.total = round3((performance.now() - t0) / 1000);
  console.log(JSON.stringify(out));
  process.exit(0);
}

const { rest, opt } = commandLine();
const reps = Number(opt('--reps', '1'));
const old = path.resolve(opt('--old', '/work/main/out'));
const names = rest.length ? rest : ['editor-old', 'editor-new', 'realsize-old', 'realsize-new'];
// The real-size model's saved graph, made once before any timed run (both builds load it: the same cache format).
const cache = path.join(OUT, 'realsize', '.reclens', 'model-cache');
if (
  names.some((n) => n.startsWith('realsize')) &&
  !(fs.existsSync(cache) && fs.readdirSync(cache).some((f) => f.endsWith('.ort')))
)
  throw new Error(`no saved graph in ${cache}: run node bench/realsize/openTimeline.mjs hit first`);
runVariants({ script, names, reps, env: () => ({ RECLENS_SEQ_OLD: old }) });
