// The decoding thread's CPU (docs/performance.md, "Round 7: eval on the decoding thread"): the read floor (open +
// decode alone) and a cold eval (bootstrap 0, automatic slices on unless --no-slices), each with wall seconds, CPU
// seconds of the whole process and of the main thread alone (the thread that decodes; read from
// /proc/self/task/<pid>/stat, so it counts only time the thread ran, whatever the load). Seed 1, CPU provider, the
// 1,008,350-row MovieLens bench. With two or more compiled trees (`npx tsc -p . --outDir /tmp/old/out` from an
// older commit, next to a node_modules link) they alternate, R times each, medians side by side, and the eval
// JSON (less seconds) is compared across them. Asserts nothing; prints figures.
//   node bench/decodethread.mjs [--repeat R] [--no-slices] [--only floor|eval|keys] [outDir ...]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { ensureBenchData } from './data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (k) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv.splice(i, 2)[1] : undefined;
};
const flag = (k) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv.splice(i, 1).length > 0 : false;
};
const repeat = Number(opt('--repeat') ?? 1);
const only = opt('--only');
const slices = !flag('--no-slices');
const dirs = argv.length ? argv : [path.join(root, 'out')];
const engines = dirs.map((d) => {
  const req = createRequire(path.join(path.resolve(d), 'x.js'));
  return {
    dir: d,
    requireConfig: req('./src/engine/config/loadConfig.js').requireConfig,
    evaluate: req('./src/engine/evaluate.js').evaluate,
    openWorkspace: req('./src/engine/workspace.js').openWorkspace,
    streamBatches: req('./src/engine/data/batches.js').streamBatches,
    forgetRows: req('./src/engine/data/rowCache.js').forgetRows,
  };
});
const TICK = 100; // USER_HZ on Linux
/** CPU seconds of this process's main thread (utime + stime of /proc/self/task/<pid>/stat). */
const mainCpu = () => {
  const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(after[11]) + Number(after[12])) / TICK;
};
/** CPU seconds of every thread seen so far, by thread id (sampled: a thread's last reading before it ends). */
const threads = new Map();
const sampleThreads = () => {
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const f = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = f.slice(f.indexOf('(') + 1, f.lastIndexOf(')'));
      const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, {
        name,
        cpu: (Number(after[11]) + Number(after[12])) / TICK,
        first: threads.get(tid)?.first ?? performance.now(),
      });
    } catch {
      /* ended meanwhile */
    }
  }
};
/** CPU seconds by thread name since `before` (a copy of `threads`). */
let runStart = 0;
const byName = (before) => {
  sampleThreads();
  const out = new Map();
  for (const [tid, t] of threads) {
    const d = t.cpu - (before.get(tid)?.cpu ?? 0);
    // Threads are all named "node"; the main thread is the one whose id is the pid.
    // A new thread's label says when it was first seen (s after the run started): which is which is inferred from it.
    const key =
      tid === String(process.pid)
        ? 'main'
        : before.has(tid)
          ? `t${tid}`
          : `new t${tid}@${((t.first - runStart) / 1000).toFixed(1)}`;
    if (d >= 0.01) out.set(key, (out.get(key) ?? 0) + d);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
};
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () => os.loadavg()[0].toFixed(1);
const cfgFile = await ensureBenchData();
const { config } = engines[0].requireConfig(cfgFile);
const cold = (e) => {
  e.forgetRows();
  fs.rmSync(path.join(path.dirname(cfgFile), '.reclens', 'cache'), { recursive: true, force: true });
};
async function floor(e) {
  const ws = await e.openWorkspace(config);
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats)) void b;
  ws.close();
}
// --only keys (round 8): the automatic slices' user / item ids, numbered by the scoring stream vs read by the slices
// themselves (a second DuckDB read, what eval did before), in one open workspace, alternated: CPU of the stream
// alone, of the stream with the key columns, and of the slices' own read (streamKeyIdsTyped), per run.
if (only === 'keys') {
  const e = engines[engines.length - 1];
  const req = createRequire(path.join(path.resolve(e.dir), 'x.js'));
  const { streamedKeyIds, streamKeyIdsTyped } = req('./src/engine/slices/keyIds.js');
  const ws = await e.openWorkspace(config);
  const rows = ws.data.rows;
  const runs = {
    'stream alone (floor decode)': async () => {
      for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, {
        rows: 0,
        groupKeys: [],
        missingKeys: {},
      }))
        void b;
    },
    'stream + slice keys (new)': async () => {
      const k = streamedKeyIds(ws, rows);
      const st = { rows: 0, groupKeys: [], missingKeys: {} };
      for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, st, undefined, undefined, [
        k.users,
        k.items,
      ]))
        void b;
      return k.keys();
    },
    "slices' own read (old)": async () => streamKeyIdsTyped({ config, ws, mat: { rows } }, rows),
  };
  const got = {};
  for (let k = 0; k < repeat; k++)
    for (const [what, fn] of Object.entries(runs)) {
      const l0 = load();
      const t = performance.now(),
        c = cpuNow(),
        m = mainCpu();
      const r = await fn();
      const s = [(performance.now() - t) / 1000, cpuNow() - c, mainCpu() - m];
      console.log(
        `${what}: ${s[0].toFixed(2)} s wall, ${s[1].toFixed(2)} s cpu, main thread ${s[2].toFixed(2)} s [load ${l0}]`,
      );
      got[what] = [...(got[what] ?? []), s];
      if (r)
        got[`${what} ids`] = JSON.stringify([
          r.users.distinct,
          Array.from(r.users.ids.subarray(0, 1000)),
          r.items.distinct.length,
        ]);
    }
  ws.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.log(`medians of ${repeat} (wall s / cpu s / main-thread cpu s):`);
  for (const what of Object.keys(runs))
    console.log(`  ${what}: ${[0, 1, 2].map((i) => median(got[what].map((x) => x[i])).toFixed(2)).join(' / ')}`);
  const same = got['stream + slice keys (new) ids'] === got["slices' own read (old) ids"];
  console.log(`ids: ${same ? 'the same' : 'DIFFERENT'} from both paths`);
  process.exit(0);
}
const cases = [];
if (only !== 'eval') cases.push(['floor', 'open + decode alone (read floor)', (e) => floor(e)]);
if (only !== 'floor')
  cases.push([
    'eval',
    `eval cold, slices ${slices ? 'on' : 'off'}`,
    (e) => e.evaluate(config, { providers: ['cpu'], bootstrap: 0, seed: 1, slices }),
  ]);
const got = new Map();
const results = new Map();
for (let k = 0; k < repeat; k++)
  for (const [key, what, fn] of cases)
    for (const e of engines) {
      cold(e);
      const l0 = load();
      sampleThreads();
      const before = new Map(threads);
      runStart = performance.now();
      const timer = setInterval(sampleThreads, 50);
      const t = performance.now(),
        c = cpuNow(),
        m = mainCpu();
      const r = await fn(e);
      clearInterval(timer);
      const perThread = byName(before);
      const s = { wall: (performance.now() - t) / 1000, cpu: cpuNow() - c, main: mainCpu() - m };
      // eval's stages from its run record: the tail is everything after the last score (metrics, slices' masks)
      const tm = r?.record?.timings;
      if (tm?.metricsSeconds !== undefined)
        console.log(
          `    stages: open ${tm.openSeconds.toFixed(2)} s, scoring ${tm.inferenceSeconds.toFixed(2)} s, after the last score ${tm.metricsSeconds.toFixed(2)} s`,
        );
      console.log(
        `${e.dir} ${what}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, main thread ${s.main.toFixed(2)} s [load ${l0} -> ${load()}]\n` +
          `    cpu s by thread (sampled every 50 ms; new = started during the run): ${perThread.map(([n, c]) => `${n} ${c.toFixed(2)}`).join(', ')}`,
      );
      const id = `${e.dir}\t${key}`;
      got.set(id, [...(got.get(id) ?? []), s]);
      if (r?.result) {
        const json = JSON.stringify(r.result, (name, v) => (name === 'seconds' ? undefined : v));
        if (results.has(key) && results.get(key) !== json) console.log(`  ${key}: results DIFFER from the first run`);
        results.set(key, json);
      }
    }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`medians of ${repeat} (wall s / cpu s / main-thread cpu s):`);
for (const [key, what] of cases)
  console.log(
    `  ${what}: ` +
      engines
        .map((e) => {
          const ms = got.get(`${e.dir}\t${key}`);
          const f = (k) => median(ms.map((m) => m[k])).toFixed(2);
          return `${e.dir} ${f('wall')} / ${f('cpu')} / ${f('main')}`;
        })
        .join('  |  '),
  );
if (results.size && engines.length > 1) console.log('results: identical across the trees (eval JSON less seconds)');
