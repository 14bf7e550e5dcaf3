// Embedding benchmarks: PCA on 100k x 128, kNN top-10 on 100k x 128 (ONNX graph on the provider chain), UMAP on 20k.
// Seeded synthetic clustered data. Prints figures only.
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { pca } = require('../out/src/engine/embedding/pca.js');
const { knn } = require('../out/src/engine/embedding/knn.js');
const { umapProject } = require('../out/src/engine/embedding/umap.js');
const { seededRandom } = require('../out/src/engine/util/random.js');

const providers = (process.env.RECLENS_PROVIDERS ?? 'cpu').split(',');
const quick = process.argv.includes('--quick');
function data(n, d, seed) {
  const rng = seededRandom(seed), centers = 50;
  const c = Float32Array.from({ length: centers * d }, () => rng() * 2 - 1);
  const v = new Float32Array(n * d);
  for (let r = 0; r < n; r++) { const k = Math.floor(rng() * centers); for (let j = 0; j < d; j++) v[r * d + j] = c[k * d + j] + (rng() - 0.5) * 0.8; }
  return v;
}
const n = quick ? 20_000 : 100_000, d = 128;
const x = data(n, d, 1);
let t = performance.now();
const p = pca(x, n, d, 2);
console.log(`pca        ${n.toLocaleString()} x ${d}: ${((performance.now() - t) / 1000).toFixed(2)} s (top-2 explained ${(100 * (p.explainedVariance[0] + p.explainedVariance[1])).toFixed(1)}%, seed 1)`);
t = performance.now();
const nn = await knn(x, n, d, 10, providers);
console.log(`knn        top-10 of ${n.toLocaleString()} x ${d} (all pairs): ${((performance.now() - t) / 1000).toFixed(2)} s on ${nn.provider}`);
const m = quick ? 5_000 : 20_000;
const y = data(m, d, 2);
const nn2 = await knn(y, m, d, 15, providers);
t = performance.now();
await umapProject({ vectors: y, rows: m, dim: d, knn: nn2, seed: 1 });
console.log(`umap       ${m.toLocaleString()} points (15 neighbours precomputed, ${m > 10000 ? 200 : 400} epochs, seed 1): ${((performance.now() - t) / 1000).toFixed(2)} s`);
