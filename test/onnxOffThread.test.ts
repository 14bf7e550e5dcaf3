/**
 * ONNX parsing happens in a worker thread: a huge or hostile model must not stop the caller's event loop (the
 * extension host inspects models for hovers, diagnostics and trees), and malformed bytes are a clear exit-2 error.
 * Responsiveness is counted in timer ticks while the parse runs, never in milliseconds.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { inspectModel, loadOnnxBytes, readOnnx } from '../src/engine/model/inspect';
import { parseOnnxOffThread } from '../src/engine/model/onnxOffThread';
import { ProtoWriter } from '../src/engine/model/protobufWriter';
import { cliProcess, tempDir, TINY_MODEL, tinyWorkspace } from './helpers';

/** protobuf tag + length prefix for a length-delimited field. */
function header(field: number, length: number): Buffer {
  const v = (n: number) => {
    const out: number[] = [];
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      out.push(b);
    } while (n > 0);
    return out;
  };
  return Buffer.from([...v(field * 8 + 2), ...v(length)]);
}

const valueInfo = (name: string) =>
  new ProtoWriter()
    .string(1, name)
    .message(2, new ProtoWriter().message(1, new ProtoWriter().varint(1, 1)))
    .finish();

/**
 * A ModelProto whose graph holds `nodes` copies of one small Relu node (a chain's worth of protobuf the reader
 * walks one by one), `extraGraph` appended inside the graph, and one input and output.
 */
function hugeModel(nodes: number, extraGraph: Buffer = Buffer.alloc(0)): Buffer {
  const node = new ProtoWriter().string(1, 'x').string(2, 'y').string(4, 'Relu').finish();
  const oneNode = Buffer.concat([header(1, node.length), node]);
  const body = Buffer.alloc(oneNode.length * nodes, oneNode); // fill repeats the pattern
  const io = Buffer.concat([
    header(11, valueInfo('x').length),
    valueInfo('x'),
    header(12, valueInfo('y').length),
    valueInfo('y'),
  ]);
  const graphLength = body.length + io.length + extraGraph.length;
  const opset = new ProtoWriter().varint(2, 13).finish();
  return Buffer.concat([
    Buffer.from([0x08, 0x08]),
    header(8, opset.length),
    opset,
    header(7, graphLength),
    body,
    extraGraph,
    io,
  ]);
}

/** Counts setTimeout ticks while `work` is pending. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; value: T }> {
  let ticks = 0;
  let running = true;
  const tick = () => {
    if (running) {
      ticks++;
      setTimeout(tick, 0);
    }
  };
  setTimeout(tick, 0);
  try {
    const value = await work();
    return { ticks, value };
  } finally {
    running = false;
  }
}

const NODES = 300_000;

test('a model of 300,000 nodes is parsed in a worker: timers keep firing on this thread meanwhile', async () => {
  const bytes = hugeModel(NODES);
  // Control: the same parse on this thread lets no timer fire until it ends (what the worker avoids).
  const inline = await ticksDuring(async () => loadOnnxBytes('huge.onnx', Buffer.from(bytes)).inspection);
  assert.equal(inline.ticks, 0);
  assert.equal(inline.value.nodeCount, NODES);
  const off = await ticksDuring(() => parseOnnxOffThread('huge.onnx', Buffer.from(bytes), 'inspect'));
  assert.equal(off.value.nodeCount, NODES, 'the worker parsed the whole graph');
  assert.deepEqual(off.value.opTypes, { Relu: NODES });
  assert.ok(off.ticks >= 5, `only ${off.ticks} timer ticks while the worker parsed`);

  // The public entries, from a file: readOnnx returns the bytes (transferred back), their hash and the summary.
  const file = path.join(tempDir(), 'huge.onnx');
  fs.writeFileSync(file, bytes);
  const viaFile = await ticksDuring(() => readOnnx(file));
  assert.ok(viaFile.ticks >= 5, `only ${viaFile.ticks} timer ticks while reading and parsing`);
  assert.equal(viaFile.value.bytes.length, bytes.length);
  assert.ok(viaFile.value.bytes.equals(bytes), 'the bytes come back intact');
  assert.equal(viaFile.value.sha256, (await import('crypto')).createHash('sha256').update(bytes).digest('hex'));
  assert.deepEqual(viaFile.value.graph.outputOps, [{ output: 'y', opType: 'Relu' }]);
  assert.equal(viaFile.value.inspection.nodeCount, NODES);
});

test('the tiny model through the worker: same inspection, embedding initializer values still readable', async () => {
  const direct = loadOnnxBytes(TINY_MODEL, fs.readFileSync(TINY_MODEL));
  assert.deepEqual(
    JSON.parse(JSON.stringify(await inspectModel(TINY_MODEL))),
    JSON.parse(JSON.stringify(direct.inspection)),
  );
  const loaded = await readOnnx(TINY_MODEL);
  assert.deepEqual(
    loaded.graph.embeddingInitializers.map((i) => i.name),
    ['EMB'],
  );
  const { initializerValues } = await import('../src/engine/model/onnxFile');
  const emb = initializerValues(loaded.bytes, loaded.graph.embeddingInitializers[0]);
  assert.equal(emb.length, 20);
  // A small Buffer shares Node's pool with other Buffers: parsing it must not detach them.
  const pooled = Buffer.from(fs.readFileSync(TINY_MODEL).subarray(0, 3000));
  const neighbour = Buffer.from('still here');
  await parseOnnxOffThread('cut.onnx', pooled, 'inspect').catch(() => undefined);
  assert.equal(neighbour.toString(), 'still here');
});

test('a node attribute nested 5,000 levels deep is skipped without recursion', async () => {
  let inner: Buffer = Buffer.from(new ProtoWriter().string(1, 'leaf').finish());
  const headers: Buffer[] = [];
  for (let i = 0; i < 5000; i++) {
    const h = header(6, inner.length + headers.reduce((s, x) => s + x.length, 0));
    headers.push(h);
  }
  // headers[k] wraps everything after it; written outermost first.
  inner = Buffer.concat([...headers.reverse(), inner]);
  const node = Buffer.concat([
    Buffer.from(new ProtoWriter().string(1, 'x').string(2, 'y').string(4, 'If').finish()),
    header(5, inner.length),
    inner,
  ]);
  const m = await parseOnnxOffThread(
    'deep.onnx',
    hugeModel(1, Buffer.concat([header(1, node.length), node])),
    'inspect',
  );
  assert.deepEqual(m.opTypes, { Relu: 1, If: 1 });
});

test('bad protobuf: exit 2 from inspect and check, naming the file, no stack trace', () => {
  const { dir, config } = tinyWorkspace();
  const model = path.join(dir, 'model.onnx');
  const good = fs.readFileSync(model);
  const cases: [string, Buffer, RegExp][] = [
    ['truncated', good.subarray(0, Math.floor(good.length / 2)), /model\.onnx is not a valid ONNX model \(truncated/],
    ['text', Buffer.from('{"not": "a model"}\n'), /model\.onnx is not a valid ONNX model \(/],
    ['empty', Buffer.alloc(0), /model\.onnx is empty/],
    ['no graph', Buffer.from([0x08, 0x08]), /model\.onnx is not a valid ONNX model \(no graph found\)/],
  ];
  for (const [what, bytes, message] of cases) {
    fs.writeFileSync(model, bytes);
    const commands = [
      ['inspect', '--model', model],
      ['check', '--config', config],
      ...(what === 'truncated' ? [['eval', '--config', config, '--no-record']] : []),
    ];
    for (const args of commands) {
      const r = cliProcess(...args);
      assert.equal(r.code, 2, `${what}: ${args[0]}: ${r.err}${r.out}`);
      assert.match(r.err + r.out, message, `${what}: ${args[0]}`);
      assert.doesNotMatch(r.err, /\n\s+at |internal error|ONNX worker/, `${what}: ${args[0]}`);
    }
  }
});

test('a model declaring 400,000 inputs (a 29 MiB signature) is refused in the worker, exit 2', () => {
  const infos = Buffer.concat(
    Array.from({ length: 400_000 }, (_, i) => {
      const v = valueInfo(`input_${i}_${'x'.repeat(20)}`);
      return Buffer.concat([header(11, v.length), v]);
    }),
  );
  const file = path.join(tempDir(), 'wide.onnx');
  fs.writeFileSync(file, hugeModel(1, infos));
  const r = cliProcess('inspect', '--model', file);
  assert.equal(r.code, 2, r.err);
  assert.match(
    r.err,
    /declares a signature of \d+ MiB \(inputs, outputs, operator names\); RecLens reads models whose signature is under 16 MiB/,
  );
});
