// Embedding benchmarks: PCA on 100k x 128, kNN top-10 on 100k x 128 (ONNX graph on the provider chain), UMAP on
// 20k points and on a 100k sampled view (quick: 20k / 5k). Seeded synthetic clustered data. Prints one JSON line.
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { pca } = require('../out/src/engine/embedding/pca.js');
const { knn } = require('../out/src/engine/embedding/knn.js');
const { umapProject, defaultEpochs } = require('../out/src/engine/embedding/umap.js');
const { seededRandom } = require('../out/src/engine/util/random.js');

const providers = (process.env.RECLENS_PROVIDERS ?? 'cpu').split(',');
const quick = process.argv.includes('--quick');
function data(n, d, seed) {
  const rng = seededRandom(seed),
    centers = 50;
  const c = Float32Array.from({ length: centers * d }, () => rng() * 2 - 1);
  const v = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const k = Math.floor(rng() * centers);
    for (let j = 0; j < d; j++) v[r * d + j] = c[k * d + j] + (rng() - 0.5) * 0.8;
  }
  return v;
}
const secs = async (fn) => {
  const t = performance.now();
  const r = await fn();
  return [(performance.now() - t) / 1000, r];
};
const n = quick ? 20_000 : 100_000,
  d = 128;
const x = data(n, d, 1);
const [tPca] = await secs(() => pca(x, n, d, 2));
const [tKnn, nn] = await secs(() => knn(x, n, d, 10, providers));
const out = { pca: { rows: n, seconds: tPca }, knn: { rows: n, seconds: tKnn, provider: nn.provider }, umap: [] };
for (const m of quick ? [5_000] : [20_000, 100_000]) {
  const y = data(m, d, 2);
  const [tk, nn2] = await secs(() => knn(y, m, d, 15, providers));
  const [tu] = await secs(() => umapProject({ vectors: y, rows: m, dim: d, knn: nn2, seed: 1 }));
  out.umap.push({ rows: m, seconds: tu, knnSeconds: tk, epochs: defaultEpochs(m) });
  console.error(`umap ${m}: ${tu.toFixed(2)} s`);
}
console.log(JSON.stringify(out));
