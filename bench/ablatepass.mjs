// Ablate's per-pass cost against a plain pass and a bare onnxruntime pass, without the rest of bench/run.mjs
// (issue #13, round 7). Rows are recalled from .reclens/cache after the first job (no decoding in the passes).
//   node bench/ablatepass.mjs [--root DIR] [--json FILE] [--skip1m] [--skip200k]
// --root: a build of RecLens to load (its out/ folder; default this repository), to compare old and new code
// back to back on the same data. --json: writes every ablation result (minus its `seconds`) there, for `cmp`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { ensureBenchData } from './data.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const root = path.resolve(arg('--root') ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const require = createRequire(path.join(root, 'package.json'));
const { requireConfig } = require(path.join(root, 'out/src/engine/config/loadConfig.js'));
const { openWorkspace } = require(path.join(root, 'out/src/engine/workspace.js'));
const { createSession } = require(path.join(root, 'out/src/engine/model/session.js'));
const { streamBatches } = require(path.join(root, 'out/src/engine/data/batches.js'));
const { ablate } = require(path.join(root, 'out/src/engine/ablation/ablate.js'));
const { withJob } = require(path.join(root, 'out/src/engine/job.js'));
const ort = require('onnxruntime-node');

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const secs = async (fn) => {
  const t = performance.now(),
    c = cpuNow();
  const r = await fn();
  return [(performance.now() - t) / 1000, r, cpuNow() - c];
};
// CPU seconds of each thread of this process (main thread = the pid; workers and onnxruntime's pools after it).
const threadCpu = () => {
  const m = new Map();
  for (const t of fs.readdirSync('/proc/self/task')) {
    try {
      const st = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const v = st.slice(st.lastIndexOf(')') + 2).split(' ');
      m.set(Number(t), (Number(v[11]) + Number(v[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return m;
};
// Sampled every 200 ms while `fn` runs (more often costs the main thread measurable CPU), so that the job's workers (gone when it ends) are counted too.
const threadsDuring = async (fn) => {
  const before = threadCpu();
  const after = new Map();
  const sample = () => {
    for (const [t, c] of threadCpu()) after.set(t, c);
  };
  const timer = setInterval(sample, 200);
  const r = await fn();
  clearInterval(timer);
  sample();
  const busy = [...after]
    .map(([t, c]) => [t, c - (before.get(t) ?? 0), before.has(t) ? '' : '*'])
    .filter(([, c]) => c >= 0.05)
    .map(([t, c, n]) => `${t === process.pid ? 'main' : t}${n} ${c.toFixed(2)}`);
  return [r, busy.join(', ')];
};
const f = (x) => x.toFixed(3);
const mark = () => (Number(process.hrtime.bigint() / 1000n) / 1e6).toFixed(3); // the clock of --cpu-prof's profiles
// When the first batch of the first pass came back (its first progress event), seconds after the call.
const firstBatchClock = () => {
  const t = performance.now();
  const clock = { at: NaN };
  clock.control = {
    onProgress: (e) => {
      if (Number.isNaN(clock.at) && e.phase === 'baseline') clock.at = (performance.now() - t) / 1000;
    },
  };
  return clock;
};
// The ablate() call in phases: job set-up (open, rows, session; to the first pass), the passes (to the last score),
// the metrics that follow the last pass, and closing the job (workspace, workers).
const phases = (wall, t, first) => {
  const setup = t.totalSeconds - t.inferenceSeconds - t.metricsSeconds;
  return `phases: set-up ${f(setup)} s (first batch back at ${f(first)} s), passes ${f(t.inferenceSeconds)} s, metrics after the last pass ${f(t.metricsSeconds)} s, close ${f(wall - t.totalSeconds)} s`;
};
const load = () => os.loadavg()[0].toFixed(1);
const { config } = requireConfig(await ensureBenchData());
const providers = ['cpu'];
const dump = {};
console.log(`root ${root}, load ${load()}`);

// The ablate bench: 200,000 rows, 6 slots x (mask + 2 permutations) = 19 passes, against a plain pass.
if (!process.argv.includes('--skip200k')) {
  const limit = 200_000;
  let plain = 0;
  await withJob(config, { providers, limit }, undefined, async (ctx) => {
    await ctx.score('warm-up');
    const t = performance.now();
    await ctx.score('plain');
    plain = (performance.now() - t) / 1000;
  });
  const from = mark();
  const firstBatch = firstBatchClock();
  const [[w, ab, c], threads] = await threadsDuring(() =>
    secs(() => ablate(config, { providers, limit, repeats: 2, bootstrap: 0, seed: 1 }, firstBatch.control)),
  );
  console.log(`  ablate ran from ${from} to ${mark()} s (monotonic clock, as in bench/profsummary.mjs --busy)`);
  const n = ab.result.inferencePasses;
  const inf = ab.record.timings.inferenceSeconds;
  console.log(`  cpu s per thread (* = started in the job): ${threads}`);
  console.log(`  ${phases(w, ab.record.timings, firstBatch.at)}`);
  console.log(
    `ablate bench 200k: ${f(w)} s (cpu ${f(c)} s), ${n} passes; plain pass ${f(plain)} s; per pass ${f(w / n / plain)} x plain; passes alone (inferenceSeconds ${f(inf)}) ${f(inf / n / plain)} x plain; set-up + metrics ${f(w - inf)} s; load ${load()}`,
  );
  dump.bench = { ...ab.result, seconds: undefined };
}

if (!process.argv.includes('--skip1m')) {
  // A bare onnxruntime pass over the 1M rows on prebuilt tensors (bench/run.mjs's denominator).
  const ws = await openWorkspace(config);
  const ms = await createSession(config.model.path, providers);
  const pre = [];
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats, undefined, undefined))
    pre.push(
      Object.fromEntries(
        ws.plan.inputs.map((i) => [i.name, new ort.Tensor(i.dtype, b.feeds.get(i.name), [b.size, ...i.dims])]),
      ),
    );
  const [bare, , bareCpu] = await secs(async () => {
    for (const feeds of pre) await ms.session.run(feeds, [ws.outputName]);
  });
  pre.length = 0;
  ws.close();
  await ms.session.release?.();
  const opts = { providers, slots: ['item_content', 'numeric'], repeats: 2, bootstrap: 0, seed: 1 };
  await withJob(config, { providers }, undefined, async () => undefined); // rows decoded and spilled once
  const firstBatch = firstBatchClock();
  const from = mark();
  const [[w, ab, c], threads] = await threadsDuring(() => secs(() => ablate(config, opts, firstBatch.control)));
  console.log(`  ablate ran from ${from} to ${mark()} s (monotonic clock, as in bench/profsummary.mjs --busy)`);
  const n = ab.result.inferencePasses;
  console.log(`  cpu s per thread (* = started in the job): ${threads}`);
  console.log(`  ${phases(w, ab.record.timings, firstBatch.at)}`);
  const perPass = ab.record.timings.inferenceSeconds / n;
  console.log(
    `ablate 1M, ${n} passes: ${f(w)} s (cpu ${f(c)} s); a pass ${f(perPass)} s = ${f(perPass / bare)} x a bare ORT pass (${f(bare)} s, cpu ${f(bareCpu)} s); load ${load()}`,
  );
  dump.m1 = { ...ab.result, seconds: undefined };
}
if (arg('--json')) fs.writeFileSync(arg('--json'), JSON.stringify(dump, null, 1));
