// CPU seconds of ablate's paired metrics (PairedAccumulator: base + 6 variant scorings) on bench-shaped synthetic data:
// 20,167 rows repeated 50 times (1,008,350 rows, ties of 50 like bench/out/movielens-1m), 600 groups, two row
// segmentations of 3 buckets, bootstrap 0 and 200, seed 1. Asserts nothing; prints figures.
//   node bench/paired.mjs [outDir ...]   each outDir a compiled tree (default: out); with two or more (e.g. one built
//   from an older commit with `npx tsc -p . --outDir /tmp/old`) they run alternately and their results are compared.
import { createRequire } from 'module';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : [path.join(root, 'out')];
const impls = dirs.map((d) => createRequire(path.join(path.resolve(d), 'x.js'))('./src/engine/metrics/paired.js'));
let seed = 7;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const base = 20_167,
  copies = 50,
  n = base * copies,
  G = 600;
const labels = new Uint8Array(n),
  groups = new Int32Array(n);
const bl = Uint8Array.from({ length: base }, () => (rnd() < 0.45 ? 1 : 0));
const bg = Int32Array.from({ length: base }, () => Math.floor(rnd() * G));
for (let c = 0; c < copies; c++) {
  labels.set(bl, c * base);
  groups.set(bg, c * base);
}
const scorings = Array.from({ length: 7 }, () => {
  const bs = Float32Array.from(bl, (l) => 1 / (1 + Math.exp(-(l * 0.8 + rnd() * 2 - 1))));
  const s = new Float32Array(n);
  for (let c = 0; c < copies; c++) s.set(bs, c * base);
  return { scores: s, probs: s };
});
const of = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 3));
const segments = [
  { name: 'item popularity', buckets: ['cold', 'warm', 'hot'], of },
  { name: 'user activity', buckets: ['cold', 'warm', 'hot'], of: of.map((x) => 2 - x) },
];
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
for (const B of [0, 200]) {
  const setup = { labels, groups, groupCount: G, bootstrap: B, seed: 1, segments };
  for (let rep = 0; rep < 2; rep++) {
    const out = impls.map((M) => {
      const c = cpu();
      const acc = new M.PairedAccumulator(setup);
      acc.addBase(scorings[0]);
      for (let v = 1; v < 7; v++) acc.addRepeat(v - 1, scorings[v]);
      const r = acc.result();
      return { s: cpu() - c, r };
    });
    // Numbers that differ from the first tree's: [path, a, b] (grouped LogLoss intervals may differ by rounding).
    const diffs = [];
    const walk = (a, b, at) => {
      if (typeof a === 'number') return Object.is(a, b) || diffs.push([at, a, b]);
      if (a && typeof a === 'object') for (const k of Object.keys(a)) walk(a[k], b?.[k], `${at}.${k}`);
    };
    out.slice(1).forEach((o) => walk(out[0].r, o.r, ''));
    const maxDiff = Math.max(0, ...diffs.map(([, a, b]) => Math.abs(a - b)));
    const same =
      diffs.length === 0
        ? 'identical'
        : `${diffs.length} numbers differ (max ${maxDiff.toExponential(1)}: ${[...new Set(diffs.map(([at]) => at.replace(/\.\d+/g, '[]')))].join(', ')})`;
    console.log(
      `paired metrics, ${n.toLocaleString()} rows, 7 scorings, bootstrap ${B}: ` +
        out.map((o, i) => `${dirs[i]} ${o.s.toFixed(2)} s cpu`).join(', ') +
        (out.length > 1 ? `; results: ${same}` : ''),
    );
  }
}
