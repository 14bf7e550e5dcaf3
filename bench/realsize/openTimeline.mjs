// How long a job waits for the real-size model (docs/performance.md, "Round 8: the real-size model's load"): openJob
// in a fresh process, timed to the open workspace and to the ready session, with CPU seconds (user, system) and the
// 1-minute load. Variants, run one after another in the order given, --reps times interleaved:
//   old   the build in --old DIR (default /work/main/out): no model cache
//   save  this build, the model cache's entries for this model removed first (the first job: loads and saves)
//   hit   this build, the entries kept (every later job: the saved graph and the hash by stamp)
//   node bench/realsize/openTimeline.mjs [--reps N] [--old DIR] [old save hit ...]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, '..', 'out', 'realsize');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};

if (process.env.RECLENS_OPEN_CHILD) {
  const build = process.env.RECLENS_OPEN_BUILD;
  const { requireConfig } = require(path.join(build, 'src/engine/config/loadConfig.js'));
  const { openJob } = require(path.join(build, 'src/engine/job.js'));
  const { config } = requireConfig(path.join(OUT, 'reclens.json'));
  const cpu = () => {
    const u = process.resourceUsage();
    return (u.userCPUTime + u.systemCPUTime) / 1e6;
  };
  const r = (x) => Math.round(x * 1000) / 1000;
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
for (let rep = 0; rep < reps; rep++) {
  for (const name of names) {
    if (name === 'save' && fs.existsSync(cache))
      for (const f of fs.readdirSync(cache)) if (f.startsWith('model-')) fs.rmSync(path.join(cache, f));
    const load1 = Math.round(os.loadavg()[0] * 100) / 100;
    const t = performance.now();
    const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, RECLENS_OPEN_CHILD: name, RECLENS_OPEN_BUILD: name === 'old' ? oldBuild : newBuild },
      encoding: 'utf8',
    });
    const processWall = Math.round(performance.now() - t) / 1000;
    if (res.status !== 0) console.log(JSON.stringify({ variant: name, failed: res.stderr.slice(-600) }));
    else
      console.log(
        JSON.stringify({ variant: name, ...JSON.parse(res.stdout.trim().split('\n').pop()), processWall, load1 }),
      );
  }
}
