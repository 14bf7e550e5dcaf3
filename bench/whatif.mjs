// Row What-If latency on examples/movielens (CPU provider): one edited row scored through the inference worker,
// an occlusion (all slots, K=16) and a flip search (32 candidates per slot). Prints medians of repeated runs.
//   npm run build && node bench/whatif.mjs [--repeats 50]
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { requireConfig } = require(path.join(root, 'out/src/engine/config/loadConfig.js'));
const { RowsSession } = require(path.join(root, 'out/src/engine/rows/session.js'));

const repeats = Number(process.argv[process.argv.indexOf('--repeats') + 1]) || 50;
const { config } = requireConfig(path.join(root, 'examples/movielens/reclens.json'));
const t0 = performance.now();
const s = await RowsSession.open(config, { providers: ['cpu'], seed: 7 });
const openSeconds = (performance.now() - t0) / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn) => {
  const ts = [];
  for (let i = 0; i < repeats; i++) {
    const a = performance.now();
    await fn(i);
    ts.push(performance.now() - a);
  }
  return ts;
};
const worst = (await s.page({ sort: 'loss', descending: true, offset: 0, limit: 1 })).rows[0].index;
const edit = await time((i) =>
  s.scoreEdited(worst, [{ kind: 'value', input: 'numeric', offset: 0, value: 1 + (i % 5) }]),
);
const copy = await time((i) => s.scoreEdited(worst, [{ kind: 'fromRow', slot: 'item_id', source: i }]));
const occ = await time(() => s.occlusion(worst, [], 16));
const flip = await time(() => s.flip(worst));
await s.close();
const ms = (ts) => `median ${median(ts).toFixed(2)} ms, max ${Math.max(...ts).toFixed(2)} ms`;
console.log(
  `What-If on examples/movielens (${s.rows.toLocaleString('en-US')} rows, provider cpu, seed 7, ${repeats} repeats; session open incl. scoring all rows ${openSeconds.toFixed(2)} s)`,
);
console.log(`  edited row (numeric value)      ${ms(edit)}`);
console.log(`  edited row (item slot copied)   ${ms(copy)}`);
console.log(`  occlusion (6 slots x (1 + 16))  ${ms(occ)}`);
console.log(`  flip search (6 slots x 33)      ${ms(flip)}`);
