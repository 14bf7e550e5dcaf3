// A permuted batch of a table-backed input, three ways, CPU seconds per 1M rows in one process (docs/performance.md,
// Round 9): the decoded column's gather (data/rowCache.ts gatherRows, column in memory), the table gather with a
// word loop, and with `set` from a view per table row (ablation/tablePermuter.ts). MovieLens's shape: 1,008,350
// rows x 32 floats from a 9,742-row table, batches of 8,192 rows on recycled feed buffers; seed 1.
//   node bench/tablegather.mjs [--repeats N]
import * as path from 'path';
import { createRequire } from 'module';
import { ROOT } from './data.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const out = (p) => require(path.join(ROOT, 'out/src/engine', p));
const { gatherTableRows, rowViews } = out('ablation/tablePermuter.js');
const { gatherRows } = out('data/rowCache.js');
const { recycleFeedBuffers } = out('data/feedPool.js');
const { permutation, seededRandom } = out('util/random.js');

const at = process.argv.indexOf('--repeats');
const repeats = at > 0 ? Number(process.argv[at + 1]) : 3;
const N = 1_008_350,
  T = 9742,
  W = 32,
  B = 8192;
const rng = seededRandom(1);
const vectors = Float32Array.from({ length: T * W }, () => rng());
const table = { rows: T, dim: W, vectors, fallback: new Float32Array(W), index: new Map() };
const rowOf = Int32Array.from({ length: N }, () => Math.floor(rng() * T));
const column = new Float32Array(N * W);
for (let i = 0; i < N; i++) column.set(vectors.subarray(rowOf[i] * W, (rowOf[i] + 1) * W), i * W);
const perm = permutation(N, rng);
const views = rowViews(table);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const ways = [
  ['column gather (gatherRows)', (s, e) => gatherRows(column, W, perm, s, e)],
  ['table, word loop', (s, e) => gatherTableRows({ table, rowOf }, perm, s, e)],
  ['table, set from row views', (s, e) => gatherTableRows({ table, rowOf }, perm, s, e, views)],
];
for (let r = 0; r < repeats; r++)
  for (const [name, gather] of ways) {
    const c = cpu(),
      t = performance.now();
    for (let s = 0; s < N; s += B) recycleFeedBuffers([gather(s, Math.min(N, s + B)).buffer]);
    console.log(`${name}: ${(cpu() - c).toFixed(3)} CPU s, ${((performance.now() - t) / 1000).toFixed(3)} s wall`);
  }
