// What onnxruntime's InferenceSession.create of the real-size model costs, variant by variant (docs/performance.md,
// "Round 8: the real-size model's load"). Each variant runs in a fresh child process (no arena, page or binding
// state shared), in the order given, repeated --reps times interleaved; each prints wall and CPU seconds (user,
// system), minor page faults, and the 1-minute load.
//   node bench/realsize/sessionCreate.mjs [--model FILE] [--reps N] [variant ...]
// Variants: path (the default options RecLens uses: from the file's path, graphOptimizationLevel 'all'), buffer
// (from a Uint8Array read first; the read is timed apart), disabled, basic, noArena, noMemPattern, saveOrt (writes
// the optimised graph to /tmp/reclens-create/model.ort, timed), ortPath, ortBuffer, ortDirect
// (use_ort_model_bytes_directly), ortDirectInit (..._for_initializers too), ortDirectInitDisabled (and level
// 'disabled'). The ort* variants need saveOrt first. Each also scores one fixed batch (seed 1) and prints a hash of
// the output bytes, so variants can be compared bit for bit.
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const TMP = '/tmp/reclens-create';
const ORT_FILE = path.join(TMP, 'model.ort');

const base = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 3 };
const direct = { session: { use_ort_model_bytes_directly: '1' } };
const directInit = { session: { use_ort_model_bytes_directly: '1', use_ort_model_bytes_for_initializers: '1' } };
const VARIANTS = {
  path: { from: 'model', input: 'path', options: {} },
  buffer: { from: 'model', input: 'buffer', options: {} },
  disabled: { from: 'model', input: 'path', options: { graphOptimizationLevel: 'disabled' } },
  basic: { from: 'model', input: 'path', options: { graphOptimizationLevel: 'basic' } },
  noArena: { from: 'model', input: 'path', options: { enableCpuMemArena: false } },
  noMemPattern: { from: 'model', input: 'path', options: { enableMemPattern: false } },
  saveOrt: { from: 'model', input: 'path', options: { optimizedModelFilePath: ORT_FILE } },
  ortPath: { from: 'ort', input: 'path', options: {} },
  ortBuffer: { from: 'ort', input: 'buffer', options: {} },
  ortDirect: { from: 'ort', input: 'buffer', options: { extra: direct } },
  ortDirectInit: { from: 'ort', input: 'buffer', options: { extra: directInit } },
  ortDirectInitDisabled: {
    from: 'ort',
    input: 'buffer',
    options: { extra: directInit, graphOptimizationLevel: 'disabled' },
  },
};

if (process.env.RECLENS_CREATE_CHILD) {
  const v = VARIANTS[process.env.RECLENS_CREATE_CHILD];
  const file = v.from === 'ort' ? ORT_FILE : process.env.RECLENS_CREATE_MODEL;
  const cpu = () => {
    const u = process.resourceUsage();
    return { user: u.userCPUTime / 1e6, system: u.systemCPUTime / 1e6, minflt: u.minorPageFault };
  };
  const t0 = performance.now();
  const ort = require('onnxruntime-node');
  const binding = (performance.now() - t0) / 1000;
  let read = 0;
  let input = file;
  if (v.input === 'buffer') {
    const t = performance.now();
    input = fs.readFileSync(file);
    read = (performance.now() - t) / 1000;
  }
  const c0 = cpu();
  const t1 = performance.now();
  const session = await ort.InferenceSession.create(input, { ...base, ...v.options });
  const wall = (performance.now() - t1) / 1000;
  const c1 = cpu();
  // One fixed batch: 256 rows, ids in [0, 3) (every table has at least 3 rows), dense from a seeded LCG.
  let s = 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const feeds = {};
  for (const name of session.inputNames) {
    feeds[name] =
      name === 'dense'
        ? new ort.Tensor('float32', Float32Array.from({ length: 256 * 13 }, rnd), [256, 13])
        : new ort.Tensor(
            'int64',
            BigInt64Array.from({ length: 256 }, (_, i) => BigInt((i * 7 + name.length) % 3)),
            [256],
          );
  }
  const out = await session.run(feeds);
  const o = out[session.outputNames[0]].data;
  const outHash = createHash('sha256')
    .update(new Uint8Array(o.buffer, o.byteOffset, o.byteLength))
    .digest('hex')
    .slice(0, 16);
  const r = (x) => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      variant: process.env.RECLENS_CREATE_CHILD,
      binding: r(binding),
      read: r(read),
      createWall: r(wall),
      createUser: r(c1.user - c0.user),
      createSystem: r(c1.system - c0.system),
      createMinflt: c1.minflt - c0.minflt,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      outHash,
      ...(v.options.optimizedModelFilePath ? { ortBytes: fs.statSync(ORT_FILE).size } : {}),
    }),
  );
  process.exit(0);
}

const model = path.resolve(opt('--model', path.join(here, '..', 'out', 'realsize', 'model.onnx')));
const reps = Number(opt('--reps', '1'));
const names = argv.length
  ? argv
  : [
      'path',
      'buffer',
      'disabled',
      'basic',
      'noArena',
      'noMemPattern',
      'saveOrt',
      'ortPath',
      'ortBuffer',
      'ortDirect',
      'ortDirectInit',
    ];
fs.mkdirSync(TMP, { recursive: true });
for (let rep = 0; rep < reps; rep++) {
  for (const name of names) {
    if (!VARIANTS[name]) throw new Error(`unknown variant ${name}`);
    const load1 = Math.round(os.loadavg()[0] * 100) / 100;
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, RECLENS_CREATE_CHILD: name, RECLENS_CREATE_MODEL: model },
      encoding: 'utf8',
    });
    if (r.status !== 0) console.log(JSON.stringify({ variant: name, failed: r.stderr.slice(-400) }));
    else console.log(JSON.stringify({ ...JSON.parse(r.stdout.trim().split('\n').pop()), load1 }));
  }
}
