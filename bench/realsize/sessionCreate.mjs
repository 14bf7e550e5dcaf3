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
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { commandLine, cpuNow, moduleContext, round3, runVariants } from './variants.mjs';

const { require, here, script } = moduleContext(import.meta.url);
const { rest: argv, opt } = commandLine();
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

if (process.env.RECLENS_VARIANT) {
  const v = VARIANTS[process.env.RECLENS_VARIANT];
  const file = v.from === 'ort' ? ORT_FILE : process.env.RECLENS_CREATE_MODEL;
  const cpu = cpuNow;
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
  const r = round3;
  console.log(
    JSON.stringify({
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
for (const name of names) if (!VARIANTS[name]) throw new Error(`unknown variant ${name}`);
runVariants({ script, names, reps, env: () => ({ RECLENS_CREATE_MODEL: model }) });
