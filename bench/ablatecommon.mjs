// What the ablate benches share (bench/run.mjs's ablate sections, bench/ablatepass.mjs): loading a build, timing,
// per-thread CPU, and the two references a pass is divided by, each timed several times (issue #13, round 9:
// a single bare pass moved by up to 40 % between runs of the same code, and decided which side of 1.3 x a run
// landed on). A ratio is the median of the ablate side over the median of the reference, both over the same rounds.
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';

/** The engine modules the ablate benches call, from the build in `root` (its out/ folder). */
export function loadBuild(root) {
  const require = createRequire(path.join(root, 'package.json'));
  const mod = (p) => require(path.join(root, 'out/src/engine', p));
  return {
    requireConfig: mod('config/loadConfig.js').requireConfig,
    openWorkspace: mod('workspace.js').openWorkspace,
    createSession: mod('model/session.js').createSession,
    streamBatches: mod('data/batches.js').streamBatches,
    ablate: mod('ablation/ablate.js').ablate,
    withJob: mod('job.js').withJob,
    // Round 9 keeps a job's inference worker for the next job (the editor's case); older builds keep none.
    releaseKept: fs.existsSync(path.join(root, 'out/src/engine/model/sessionKeeper.js'))
      ? mod('model/sessionKeeper.js').releaseKeptSessions
      : async () => undefined,
    ort: require('onnxruntime-node'),
  };
}

export const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** [wall s, result, process CPU s] of `fn`. */
export const secs = async (fn) => {
  const t = performance.now(),
    c = cpuNow();
  const r = await fn();
  return [(performance.now() - t) / 1000, r, cpuNow() - c];
};

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** "median 0.612 s (0.598-0.640, 3 runs)". */
export const spread = (xs, d = 3) =>
  `median ${median(xs).toFixed(d)} s (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}, ${xs.length} runs)`;

/**
 * A bare onnxruntime pass over the first `limit` rows (all when undefined) on tensors prebuilt once: `time()` runs
 * one pass and returns [wall s, CPU s]; call it between the ablate runs it is compared with. close() releases it.
 */
export async function bareReference(lib, config, providers, limit) {
  const ws = await lib.openWorkspace(config);
  const ms = await lib.createSession(config.model.path, providers);
  const pre = [];
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of lib.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats, undefined, limit))
    pre.push(
      Object.fromEntries(
        ws.plan.inputs.map((i) => [i.name, new lib.ort.Tensor(i.dtype, b.feeds.get(i.name), [b.size, ...i.dims])]),
      ),
    );
  const outputs = [ws.outputName];
  ws.close();
  return {
    rows: stats.rows,
    time: async () => {
      const [w, , c] = await secs(async () => {
        for (const feeds of pre) await ms.session.run(feeds, outputs);
      });
      return [w, c];
    },
    close: async () => {
      pre.length = 0;
      await ms.session.release?.();
    },
  };
}

/** A plain pass over the first `limit` rows, timed inside an open job after a warm-up pass (wall s). */
export async function plainPass(lib, config, providers, limit, { keep = false } = {}) {
  let plain = 0;
  await lib.withJob(config, { providers, limit }, undefined, async (ctx) => {
    await ctx.score('warm-up');
    const t = performance.now();
    await ctx.score('plain');
    plain = (performance.now() - t) / 1000;
  });
  // The next job starts its own worker, as `reclens ablate` does, unless asked to take this one (the editor's case).
  if (!keep) await lib.releaseKept();
  return plain;
}

/** CPU seconds of each thread of this process (main thread = the pid; workers and onnxruntime's pools after it). */
export const threadCpu = () => {
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

/**
 * [fn's result, "main 1.10, 18280* 2.16, ..."]: CPU seconds per thread while `fn` ran (* = started meanwhile).
 * Sampled every 200 ms (more often costs the main thread measurable CPU), so that the job's workers (gone when it
 * ends) are counted too.
 */
export const threadsDuring = async (fn) => {
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
