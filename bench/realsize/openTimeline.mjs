// How long a job waits for the real-size model (docs/performance.md, "Round 8: the real-size model's load"): openJob
// in a fresh process, timed to the open workspace and to the ready session, with CPU seconds (user, system) and the
// 1-minute load. Variants, run one after another in the order given, --reps times interleaved:
//   old   the build in --old DIR (default /work/main/out): no model cache
//   save  this build, the model cache's entries for this model removed first (the first job: loads and saves)
//   hit   this build, the entries kept (every later job: the saved graph and the hash by stamp)
//   node bench/realsize/openTimeline.mjs [--reps N] [--old DIR] [old save hit ...]
import * as fs from 'fs';
import * as path from 'path';
import { commandLine, cpuNow, moduleContext, round3, runVariants } from './variants.mjs';

const { require, here, script } = moduleContext(import.meta.url);
const OUT = path.join(here, '..', 'out', 'realsize');
const { rest: argv, opt } = commandLine();

if (process.env.RECLENS_VARIANT) {
  const build = process.env.RECLENS_OPEN_BUILD;
  const { requireConfig } = require(path.join(build, 'src/engine/config/loadConfig.js'));
  const { openJob } = require(path.join(build, 'src/engine/job.js'));
  const { config } = requireConfig(path.join(OUT, 'reclens.json'));
  const cpu = () => cpuNow().user + cpuNow().system;
  const r = round3;
  const c0 = cpu();
  const t0 = performance.now();
  const job = await openJob(config, ['cpu']);
  const ws = r((performance.now() - t0) / 1000);
  const rs = await job.session;
  const session = r((performance.now() - t0) / 1000);
  const c1 = cpu();
  const u = process.resourceUsage();
  console.log(
    JSON.stringify({
      workspace: ws,
      session,
      cpu: r(c1 - c0),
      user: r(u.userCPUTime / 1e6),
      system: r(u.systemCPUTime / 1e6),
      modelCache: rs.modelCache ?? 'none',
      sha256: job.ws.onnx.sha256.slice(0, 12),
      // Builds with the inspection cache (round 9) count their reads of the model file: 0 on a hit.
      modelReads: require(path.join(build, 'src/engine/workspace.js')).modelFileReads?.() ?? 'not counted',
    }),
  );
  await job.close();
  process.exit(0);
}

const reps = Number(opt('--reps', '1'));
const oldBuild = path.resolve(opt('--old', '/work/main/out'));
const newBuild = path.join(here, '..', '..', 'out');
const names = argv.length ? argv : ['old', 'save', 'hit'];
const cache = path.join(OUT, '.reclens', 'model-cache');
runVariants({
  script,
  names,
  reps,
  env: (name) => ({ RECLENS_OPEN_BUILD: name === 'old' ? oldBuild : newBuild }),
  before: (name) => {
    if (name === 'save' && fs.existsSync(cache))
      for (const f of fs.readdirSync(cache)) if (f.startsWith('model-')) fs.rmSync(path.join(cache, f));
  },
});
