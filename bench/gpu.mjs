// GPU bench (npm run bench:gpu): what this machine has for onnxruntime's GPU providers, and eval / ablate / ceiling /
// kNN run with the chains cuda,cpu and webgpu,cpu (and cpu for comparison): which provider ran, why another did not,
// and the throughput. Seeds fixed (1).
//   node bench/gpu.mjs [--quick] [--install] [--inspect-only]
//   --install  first tries the CUDA build of onnxruntime-node (ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild
//              onnxruntime-node: downloads the CUDA provider libraries; needs network access and a writable
//              node_modules). Without it the script only reports what is missing.
import { execSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { ensureBenchData, ROOT } from './data.mjs';

const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return undefined;
  }
};

console.log(
  `RecLens GPU bench ${new Date().toISOString()} on ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}`,
);
// 1. The machine.
const smi = sh('nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader');
const cudaVersion = sh('nvidia-smi')?.match(/CUDA Version:\s*([\d.]+)/)?.[1];
console.log(
  `nvidia-smi: ${smi ? `${smi} (driver supports CUDA ${cudaVersion ?? '?'})` : 'not found or no NVIDIA GPU visible'}`,
);
const libs = (sh('ldconfig -p') ?? '')
  .split('\n')
  .filter((l) => /cudart|cublas|cudnn|vulkan/.test(l))
  .map((l) => l.trim().split(' ')[0]);
console.log(`ldconfig -p | grep -E "cudart|cublas|cudnn|vulkan": ${libs.length ? libs.join(', ') : '(none)'}`);
const has = (re) => libs.some((l) => re.test(l));
const needs = {
  'CUDA 12 runtime (libcudart.so.12)': has(/libcudart\.so\.12/),
  'cuBLAS 12 (libcublas.so.12, libcublasLt.so.12)': has(/libcublas\.so\.12/) && has(/libcublasLt\.so\.12/),
  'cuDNN 9 (libcudnn.so.9)': has(/libcudnn\.so\.9/),
  'Vulkan loader (libvulkan.so.1, for WebGPU)': has(/libvulkan\.so\.1/),
};
for (const [what, ok] of Object.entries(needs)) console.log(`  ${ok ? 'found  ' : 'missing'} ${what}`);

// 2. The CUDA build of onnxruntime-node.
const ortDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
const binDir = path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
const cudaLib = () => fs.existsSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'));
if (!cudaLib() && process.argv.includes('--install')) {
  if (!smi) console.log('onnxruntime-node CUDA build: not tried (no NVIDIA GPU visible)');
  else {
    console.log('onnxruntime-node CUDA build: ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node ...');
    const r = spawnSync('npm', ['rebuild', 'onnxruntime-node'], {
      cwd: ROOT,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12', npm_config_onnxruntime_node_install: 'cuda12' },
      encoding: 'utf8',
    });
    console.log(
      `  ${r.status === 0 && cudaLib() ? 'installed' : `failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`}`,
    );
  }
}
console.log(
  `onnxruntime-node CUDA provider library (${path.relative(ROOT, binDir)}/libonnxruntime_providers_cuda.so): ${cudaLib() ? 'present' : "absent (npm's onnxruntime-node ships CPU only; rerun with --install on a machine with network access)"}`,
);

// 3. Eval / ablate / ceiling / kNN on each chain.
if (process.argv.includes('--inspect-only')) process.exit(0);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { evaluate } = require('../out/src/engine/evaluate.js');
const { ablate } = require('../out/src/engine/ablation/ablate.js');
const { ceiling } = require('../out/src/engine/ablation/ceiling.js');
const { knn } = require('../out/src/engine/embedding/knn.js');
const { seededRandom } = require('../out/src/engine/util/random.js');
const cfgFile = await ensureBenchData();
const { config } = requireConfig(cfgFile);
const limit = quick ? 50_000 : 1_008_350;
const secs = async (fn) => {
  const t = performance.now();
  const r = await fn();
  return [(performance.now() - t) / 1000, r];
};
const ran = (r) =>
  `${r.executionProvider}${r.providerFallbacks?.length ? ` (skipped: ${r.providerFallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')})` : ''}`;
const n = quick ? 20_000 : 100_000,
  d = 128;
const rng = seededRandom(1);
const vectors = Float32Array.from({ length: n * d }, () => rng() * 2 - 1);
for (const chain of [['cuda', 'cpu'], ['webgpu', 'cpu'], ['cpu']]) {
  console.log(`providers ${chain.join(',')}:`);
  try {
    const [tE, ev] = await secs(() => evaluate(config, { providers: chain, limit, bootstrap: 0 }));
    console.log(
      `  eval ${ev.result.rows.toLocaleString()} rows: ${tE.toFixed(2)} s = ${Math.round(ev.result.rows / tE).toLocaleString()} rows/s on ${ran(ev.result)}`,
    );
    const [tA, ab] = await secs(() =>
      ablate(config, {
        providers: chain,
        limit,
        slots: ['item_content', 'numeric'],
        repeats: 2,
        bootstrap: 0,
        seed: 1,
      }),
    );
    console.log(
      `  ablate 2 slots x (mask + 2 permutations): ${ab.result.inferencePasses} passes in ${tA.toFixed(2)} s = ${Math.round((ab.result.rows * ab.result.inferencePasses) / tA).toLocaleString()} rows/s on ${ab.result.executionProvider}`,
    );
    const ceLimit = Math.min(limit, 200_000);
    const [tC, ce] = await secs(() =>
      ceiling(config, { providers: chain, limit: ceLimit, slots: ['item_content'], candidates: 16, seed: 1 }),
    );
    console.log(
      `  ceiling 1 slot, K=16, ${ceLimit.toLocaleString()} rows: ${ce.result.inferences.toLocaleString()} inferences in ${tC.toFixed(2)} s = ${Math.round(ce.result.inferences / tC).toLocaleString()} inferences/s on ${ce.result.executionProvider}`,
    );
    const [tK, nn] = await secs(() => knn(vectors, n, d, 10, chain));
    console.log(
      `  kNN top-10 of ${n.toLocaleString()} x ${d}: ${tK.toFixed(2)} s on ${nn.provider}${nn.fallbacks?.length ? ` (skipped: ${nn.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')})` : ''}`,
    );
  } catch (e) {
    console.log(`  failed: ${e.message}`);
  }
}
