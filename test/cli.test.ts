import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { test } from 'node:test';
import { openDuck } from '../src/engine/data/duck';
import { cli, cliProcess, ROOT, tinyRows, tinyWorkspace, writeCsv } from './helpers';

/** Every bad input: exit code 2, a message naming the file or field, and never a stack trace. */
async function expectInputError(args: string[], ...patterns: RegExp[]) {
  const r = await cli(...args);
  assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.err}`);
  for (const p of patterns) assert.match(r.err, p);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  return r;
}

test('eval prints the metrics, exits 0 and writes a run record', async () => {
  const { dir, config } = tinyWorkspace();
  const r = await cli('eval', '--config', config, '--json', '--bootstrap', '30', '--seed', '3');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  for (const k of [
    'rows',
    'positives',
    'auc',
    'gauc',
    'groups',
    'logloss',
    'calibration',
    'ci',
    'executionProvider',
    'providerFallbacks',
    'seconds',
  ])
    assert.ok(k in j, k);
  assert.equal(j.rows, 400);
  assert.ok(j.auc > 0.6 && j.auc < 1);
  assert.ok(j.ci.auc[0] <= j.auc && j.auc <= j.ci.auc[1]);
  assert.equal(j.executionProvider, 'cpu');
  const rec = JSON.parse(fs.readFileSync(j.runRecord, 'utf8'));
  assert.equal(rec.results.auc, j.auc);
  assert.equal(path.dirname(j.runRecord), path.join(dir, '.reclens', 'runs'));
  assert.deepEqual(
    fs.readdirSync(path.dirname(j.runRecord)).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('eval --limit scores only the first N rows; human output shows the table', async () => {
  const { config } = tinyWorkspace();
  const r = await cli('eval', '--config', config, '--limit', '100', '--no-record');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /rows\s+100\b/);
  assert.match(r.out, /AUC\s+0\.\d{4}/);
  assert.match(r.out, /provider\s+cpu/);
});

test('inspect --model and --config', async () => {
  const { config, dir } = tinyWorkspace();
  const m = await cli('inspect', '--model', path.join(dir, 'model.onnx'), '--json');
  assert.equal(m.code, 0);
  assert.equal(JSON.parse(m.out).model.inputs.length, 2);
  const c = await cli('inspect', '--config', config);
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /dense\s+float32 \[batch, 3\]\s+columns d0, d1, d2/);
});

test('usage errors exit 1', async () => {
  assert.equal((await cli('eval')).code, 1);
  assert.equal((await cli('eval', '--config', 'x', '--frobnicate')).code, 1);
  assert.equal((await cli('eval', '--config', 'x', '--limit', 'ten')).code, 1);
  assert.equal((await cli('launch')).code, 1);
});

test('bad input: missing config and missing data file', async () => {
  await expectInputError(
    ['eval', '--config', '/nonexistent/reclens.json'],
    /nonexistent\/reclens\.json/,
    /cannot be read/,
  );
  const { dir, config } = tinyWorkspace();
  fs.unlinkSync(path.join(dir, 'data.csv'));
  await expectInputError(['eval', '--config', config], /reclens\.json:\d+:\d+/, /Data file "data\.csv" does not exist/);
});

test('bad input: unknown column, with a suggestion and the config line', async () => {
  const { config } = tinyWorkspace({
    config: {
      model: { path: 'model.onnx', output: 'prob' },
      data: { path: 'data.csv', label: 'label' },
      inputs: { dense: { columns: ['d0', 'd1', 'd3'] }, item: { column: 'item' } },
    },
  });
  await expectInputError(
    ['eval', '--config', config],
    /reclens\.json:\d+:\d+/,
    /"d3", which is not a column of data\.csv/,
    /Did you mean "d[0-2]"( or "d[0-2]")*\?/,
  );
});

test('bad input: non-binary label names the row', async () => {
  const rows = tinyRows(50) as unknown as Record<string, number>[];
  rows[7].label = 4;
  const { config } = tinyWorkspace({ rows });
  await expectInputError(['eval', '--config', config], /not binary/, /data row 8/, /label 4/);
});

test('bad input: dtype mismatch (float values for an int64 id input)', async () => {
  const rows = tinyRows(50).map((r) => ({ ...r, item: r.item + 0.5 }));
  const { config } = tinyWorkspace({ rows: rows as never });
  await expectInputError(['eval', '--config', config], /Column "item" is DOUBLE/, /"item" \(int64\)/);
});

test('bad input: shape mismatch (2 columns for a [batch, 3] input)', async () => {
  const { config } = tinyWorkspace({
    config: {
      model: 'model.onnx',
      data: { path: 'data.csv', label: 'label' },
      inputs: { dense: { columns: ['d0', 'd1'] }, item: { column: 'item' } },
    },
  });
  await expectInputError(
    ['eval', '--config', config],
    /Shape mismatch for model input "dense"/,
    /\[batch, 3\]/,
    /give 2 values/,
  );
});

test('bad input: an unfed model input and an entry for an input the model lacks', async () => {
  const a = tinyWorkspace({
    config: {
      model: 'model.onnx',
      data: { path: 'data.csv', label: 'label' },
      inputs: { dense: { columns: ['d0', 'd1', 'd2'] } },
    },
  });
  // "item" is fed by the same-named column: fine. Rename the column away to make it unfed.
  const rows = tinyRows(20).map(({ item, ...r }) => ({ ...r, item_id: item }));
  writeCsv(path.join(a.dir, 'data.csv'), rows);
  await expectInputError(['eval', '--config', a.config], /Model input "item" is not fed/, /Did you mean "item_id"\?/);
  const b = tinyWorkspace({
    config: {
      model: 'model.onnx',
      data: { path: 'data.csv', label: 'label' },
      inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, items: { column: 'item' } },
    },
  });
  await expectInputError(
    ['eval', '--config', b.config],
    /"items", but the model has no input of that name/,
    /Did you mean "item"\?/,
  );
});

test('bad input: corrupt and truncated .onnx files', async () => {
  const a = tinyWorkspace();
  fs.writeFileSync(path.join(a.dir, 'model.onnx'), Buffer.from('this is not a protobuf at all, just text\n'));
  await expectInputError(
    ['eval', '--config', a.config],
    /model\.onnx is not a valid ONNX model/,
    /truncated or corrupt/,
  );
  const b = tinyWorkspace();
  const bytes = fs.readFileSync(path.join(b.dir, 'model.onnx'));
  fs.writeFileSync(path.join(b.dir, 'model.onnx'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await expectInputError(['eval', '--config', b.config], /model\.onnx/, /(not a valid ONNX model|could not load)/);
});

test('bad input: truncated Parquet file', async () => {
  const { dir, config } = tinyWorkspace();
  const pq = path.join(dir, 'data.parquet');
  const duck = await openDuck(1, [path.join(dir, 'data.csv'), pq]);
  await duck.conn.run(`COPY (SELECT * FROM read_csv('${path.join(dir, 'data.csv')}')) TO '${pq}' (FORMAT parquet)`);
  duck.close();
  const bytes = fs.readFileSync(pq);
  fs.writeFileSync(pq, bytes.subarray(0, bytes.length - 40));
  const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
  cfg.data.path = 'data.parquet';
  fs.writeFileSync(config, JSON.stringify(cfg));
  await expectInputError(['eval', '--config', config], /Cannot read data file .*data\.parquet/);
});

test('bad input: NaN scores name the row', async () => {
  const rows = tinyRows(30) as unknown as Record<string, unknown>[];
  rows[12].d0 = 'nan';
  const { config } = tinyWorkspace({ rows });
  await expectInputError(['eval', '--config', config], /NaN score for data row 13/);
});

test('bad input: empty dataset, and a filter that leaves nothing', async () => {
  const { dir, config } = tinyWorkspace();
  fs.writeFileSync(path.join(dir, 'data.csv'), 'user,item,d0,d1,d2,label\n');
  await expectInputError(['eval', '--config', config], /No evaluation rows/, /empty/);
  const b = tinyWorkspace();
  const cfg = JSON.parse(fs.readFileSync(b.config, 'utf8'));
  cfg.data.filter = 'label > 5';
  fs.writeFileSync(b.config, JSON.stringify(cfg));
  await expectInputError(['eval', '--config', b.config], /No evaluation rows/, /label > 5/);
});

test('bad input: a probability output outside [0, 1] suggests outputKind logit', async () => {
  const { config } = tinyWorkspace({
    config: {
      model: { path: 'model.onnx', output: 'logit' },
      data: { path: 'data.csv', label: 'label' },
      inputs: { dense: { columns: ['d0', 'd1', 'd2'] } },
    },
  });
  await expectInputError(['eval', '--config', config], /outside \[0, 1\]/, /"outputKind": "logit"/);
});

test('as a real process: exit code 2, one clear message, no stack trace', () => {
  const { dir, config } = tinyWorkspace();
  fs.writeFileSync(path.join(dir, 'model.onnx'), 'garbage');
  const r = cliProcess('eval', '--config', config);
  assert.equal(r.code, 2);
  assert.match(r.err, /^reclens: error: .*model\.onnx/);
  assert.doesNotMatch(r.err, /\n\s+at /);
});

test('check reports positioned problems and exits 2 on errors', async () => {
  const { config } = tinyWorkspace({
    configText: '{\n  "model": "model.onnx",\n  "data": { "path": "data.csv", "label": "labl" }\n}',
  });
  const r = await cli('check', '--config', config, '--json');
  assert.equal(r.code, 2);
  const problems = JSON.parse(r.out).problems;
  const p = problems.find((x: { message: string }) => /"labl", which is not a column/.test(x.message));
  assert.equal(p.severity, 'error');
  assert.ok(
    problems.some(
      (x: { code: string; message: string }) => x.code === 'unfed-input' && /"dense" is not fed/.test(x.message),
    ),
    'all problems, not only the first',
  );
  assert.equal(p.start.line, 3);
  assert.equal(p.start.column, 42); // the opening quote of "labl"
  assert.deepEqual(p.fixes[0].edits[0].content, '"label"');
  assert.ok(problems.some((x: { code: string }) => x.code === 'no-group'));
});

test("the README's first command prints the MovieLens result (npm run example, and main.js run directly)", () => {
  const script = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.example as string;
  const args = script.replace(/^npm run build && node bin\/reclens /, '').split(' ');
  const viaBin = cliProcess(...args, '--no-record');
  assert.equal(viaBin.code, 0, viaBin.err);
  assert.match(viaBin.out, /AUC\s+0\.6940\s+\[0\.6232, 0\.7593\]/);
  const direct = spawnSync(process.execPath, [path.join(ROOT, 'out', 'src', 'cli', 'main.js'), '--help'], {
    encoding: 'utf8',
  });
  assert.equal(direct.status, 0);
  assert.match(direct.stdout, /reclens eval --config C/);
});
