// Where the time goes, per thread, from `node --cpu-prof --cpu-prof-dir=DIR ...` (one .cpuprofile per thread).
// Prints each thread's sampled span and its functions by self time (idle and the sampler's own frames apart).
//   node bench/profsummary.mjs DIR [--top N] [--bins S] [--focus f1,f2] [--roles] [--busy FUNC]
// --bins S adds a timeline of the busiest thread(s): the top functions per S-second bin.
// --focus f1,f2 adds the inclusive time of the named functions (any frame of a sample's stack).
// --roles names each thread by what it runs (main, inference worker, ONNX worker, compute (metrics) worker).
// --busy FUNC (a label as printed, e.g. `(anonymous) backend.js:115`, onnxruntime's run): when each thread's samples
//   in FUNC begin and end on the clock all threads' profiles share (the monotonic clock bench/ablatepass.mjs prints),
//   and the gaps between them longer than 5 ms, summed: how long the inference worker waited for the rest.
// Asserts nothing; reads profiles only. Used for docs/performance.md "Round 7: eval on the decoding thread", the
// real-size ranker's per-thread profiles and the ablate pass's (rounds 5-7).
import * as fs from 'fs';
import * as path from 'path';

const argv = process.argv.slice(2);
const opt = (k, d) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv.splice(i, 2)[1] : d;
};
const top = Number(opt('--top', 15));
const binArg = opt('--bins');
const bins = binArg ? Number(binArg) : undefined;
// Inclusive time of named functions (any frame of the sample's stack), e.g. --focus fileFingerprint,streamKeyIds
const focus = (opt('--focus') ?? '').split(',').filter(Boolean);
const busyFn = opt('--busy')?.replace(/^\(anon\) /, '(anonymous) ');
const flag = (k) => (argv.includes(k) ? (argv.splice(argv.indexOf(k), 1), true) : false);
const roles = flag('--roles');
const dir = argv[0];
if (!dir) {
  console.error('usage: node bench/profsummary.mjs DIR [--top N] [--bins S] [--focus f1,f2] [--roles] [--busy FUNC]');
  process.exit(2);
}
/** What a profile's thread runs: node names main-thread profiles CPU.<date>.<time>.<pid>.0.<n>.cpuprofile. */
const role = (f, nodes) => {
  const urls = [...new Set(nodes.map((n) => n.callFrame.url))];
  for (const [name, key] of [
    ['inference worker', 'inferenceWorkerMain'],
    ['ONNX worker', 'onnxWorker'],
    ['compute (metrics) worker', 'compute/worker'],
  ])
    if (urls.some((u) => u.includes(key))) return name;
  return f.split('.')[4] === '0' ? 'main' : 'other';
};
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);
const label = (cf) => {
  const file = cf.url ? path.basename(cf.url.replace(/^file:\/\//, '')) : '';
  return `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
};
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort();
const profiles = files.map((f) => ({ f, p: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
const t0 = Math.min(...profiles.map(({ p }) => p.startTime));
for (const { f, p } of profiles) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map(focus.map((x) => [x, 0]));
  const stackHas = new Map(); // node id -> focus names on its stack
  const onStack = (id) => {
    if (stackHas.has(id)) return stackHas.get(id);
    const fn = byId.get(id).callFrame.functionName;
    const up = parent.has(id) ? onStack(parent.get(id)) : [];
    const r = focus.includes(fn) && !up.includes(fn) ? [...up, fn] : up;
    stackHas.set(id, r);
    return r;
  };
  const timeline = new Map(); // bin -> Map(label -> us)
  const busyHits = []; // --busy: when samples in busyFn were taken (us, the clock all profiles share)
  let t = p.startTime,
    busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const dt = p.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    const name = label(byId.get(p.samples[i]).callFrame);
    self.set(name, (self.get(name) ?? 0) + dt);
    if (name !== '(idle)') busy += dt;
    if (name === busyFn) busyHits.push(t);
    for (const fn of focus.length ? onStack(p.samples[i]) : []) incl.set(fn, incl.get(fn) + dt);
    if (bins && name !== '(idle)') {
      const b = Math.floor((t - t0) / 1e6 / bins);
      if (!timeline.has(b)) timeline.set(b, new Map());
      const m = timeline.get(b);
      m.set(name, (m.get(name) ?? 0) + dt);
    }
  }
  const span = (p.endTime - p.startTime) / 1e6;
  console.log(
    `\n${roles ? `${role(f, p.nodes)} (${f})` : f}: ${((p.startTime - t0) / 1e6).toFixed(2)}-${((p.endTime - t0) / 1e6).toFixed(2)} s (${span.toFixed(2)} s), busy ${(busy / 1e6).toFixed(2)} s`,
  );
  if (focus.length)
    console.log(`  inclusive: ${[...incl].map(([n, us]) => `${n} ${(us / 1e6).toFixed(3)} s`).join(', ')}`);
  if (busyFn && busyHits.length >= 2) {
    let gaps = 0,
      n = 0;
    for (let i = 1; i < busyHits.length; i++)
      if (busyHits[i] - busyHits[i - 1] > 5000) {
        gaps += busyHits[i] - busyHits[i - 1];
        n++;
      }
    const [from, to] = [busyHits[0], busyHits.at(-1)];
    console.log(
      `  busy: ${busyFn} from ${(from / 1e6).toFixed(3)} to ${(to / 1e6).toFixed(3)} s (${((to - from) / 1e6).toFixed(3)} s), ${n} gaps > 5 ms = ${(gaps / 1e6).toFixed(3)} s`,
    );
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]);
  for (const [name, us] of rows.slice(0, top)) console.log(`  ${(us / 1e6).toFixed(3).padStart(7)} s  ${name}`);
  if (bins && busy > 0.2e6) {
    console.log(`  timeline (${bins} s bins from the first profile's start; top 4 busy functions):`);
    for (const b of [...timeline.keys()].sort((a, c) => a - c)) {
      const m = [...timeline.get(b)].sort((a, c) => c[1] - a[1]);
      const tot = m.reduce((a, [, us]) => a + us, 0);
      console.log(
        `    ${(b * bins).toFixed(1).padStart(5)} s: busy ${(tot / 1e6).toFixed(2)} s | ` +
          m
            .slice(0, 4)
            .map(([n, us]) => `${n.split(' ')[0]} ${(us / 1e6).toFixed(2)}`)
            .join(', '),
      );
    }
  }
}
