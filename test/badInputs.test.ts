/**
 * Bad inputs found in the security pass, each with exit code 2 and a message that names the field or row, plus a
 * seeded fuzz of the config parser and the .npy reader that asserts only "exit 0 or 2, never a crash or a hang".
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { parseConfig } from '../src/engine/config/loadConfig';
import { encodeNpy, parseNpy } from '../src/engine/data/npy';
import { RecLensError } from '../src/engine/errors';
import { seededRandom } from '../src/engine/util/random';
import { cli, tinyRows, tinyWorkspace } from './helpers';

async function expectExit2(args: string[], ...patterns: RegExp[]) {
  const r = await cli(...args);
  assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}${r.out}`);
  for (const p of patterns) assert.match(r.err + r.out, p);
  assert.doesNotMatch(r.err, /\n\s+at |internal error/, 'no stack trace, no internal error');
  return r;
}

function withConfig(change: (cfg: any) => void, rows?: Record<string, unknown>[]): { dir: string; config: string } {
  const ws = tinyWorkspace(rows ? { rows } : {});
  const cfg = JSON.parse(fs.readFileSync(ws.config, 'utf8'));
  change(cfg);
  fs.writeFileSync(ws.config, JSON.stringify(cfg, null, 2));
  return ws;
}

test('a NULL past the first DuckDB chunk is reported at its own data row', async () => {
  const rows = tinyRows(3100) as unknown as Record<string, unknown>[];
  rows[2999] = { ...rows[2999], d0: '' }; // data row 3000 (DuckDB chunks hold 2048 rows; batches 64)
  const { config } = withConfig(() => undefined, rows);
  await expectExit2(
    ['eval', '--config', config, '--no-record'],
    /Null value in data row 3000 of .*data\.csv, column "d0"/,
  );
  const r = await expectExit2(
    ['check', '--config', config],
    /1 row has a NULL in column "d0", which feeds model input "dense"/,
  );
  assert.match(r.out, /fillNull/);
});

test('.npy with a negative or non-numeric shape is exit 2, not a RangeError', async () => {
  const good = encodeNpy({ dtype: 'float32', shape: [3, 2], data: new Float32Array(6) });
  for (const shape of ['(-5, 2)', '(3, x)', '(99999999999999999999, 2)']) {
    const text = good.toString('latin1').replace('(3, 2)', shape.padEnd(6, ' ').slice(0, Math.max(6, shape.length)));
    assert.throws(
      () => parseNpy(Buffer.from(text, 'latin1'), 't.npy'),
      (e: unknown) =>
        e instanceof RecLensError &&
        e.exitCode === 2 &&
        /t\.npy is not a readable \.npy file/.test((e as Error).message),
      shape,
    );
  }
  const { dir, config } = withConfig((cfg) => {
    cfg.tables = { t: { path: 't.npy' } };
  });
  fs.writeFileSync(path.join(dir, 't.npy'), Buffer.from(good.toString('latin1').replace('(3, 2)', '(-5,2)'), 'latin1'));
  await expectExit2(
    ['check', '--config', config],
    /t\.npy is not a readable \.npy file: the shape \(-5,2\) is not a list of non-negative integers/,
  );
});

test('runtime.batchSize 1e12 is a schema error in check and eval', async () => {
  const { config } = withConfig((cfg) => {
    cfg.runtime.batchSize = 1e12;
  });
  await expectExit2(['check', '--config', config], /runtime\.batchSize must be <= 1048576/);
  await expectExit2(['eval', '--config', config, '--no-record'], /runtime\.batchSize must be <= 1048576/);
});

test('100k-deep JSON nesting, a 2 MiB config and a 10 MB string are refused without a crash or an echo', async () => {
  const deep = tinyWorkspace({ configText: '['.repeat(100_000) + ']'.repeat(100_000) });
  await expectExit2(['check', '--config', deep.config], /nests objects or arrays deeper than 32 levels/);
  const big = tinyWorkspace({
    configText: `{"model": "model.onnx", "data": {"path": "data.csv", "label": "label"}, "name": "${' '.repeat(2 ** 21)}"}`,
  });
  await expectExit2(['eval', '--config', big.config], /a reclens\.json is at most 1 MiB/);
  const long = withConfig((cfg) => {
    cfg.data.label = 'x'.repeat(900_000);
  });
  const r = await expectExit2(['check', '--config', long.config], /data\.label is a string of 900,000 characters/);
  assert.ok(r.out.length + r.err.length < 2000, 'the string is not echoed');
});

test('"constructor" and "__proto__" are not table names (no prototype lookups, no silent drops)', async () => {
  const a = withConfig((cfg) => {
    cfg.tables = { emb: { path: 'data.csv' } };
    cfg.inputs.item = { table: 'constructor', key: 'item' };
  });
  await expectExit2(['check', '--config', a.config], /uses table "constructor", which is not defined under "tables"/);
  const b = tinyWorkspace({
    configText:
      '{"model": "model.onnx", "data": {"path": "data.csv", "label": "label"}, "tables": {"__proto__": {"path": "t.npy"}}}',
  });
  await expectExit2(['check', '--config', b.config], /"__proto__" cannot be used as a name in reclens\.json/);
  const p = parseConfig(
    '{"model": "model.onnx", "data": {"path": "data.csv", "label": "label"}, "inputs": {"__proto__": {"column": "d0"}}}',
    path.join(b.dir, 'reclens.json'),
  );
  assert.ok(p.problems.some((x) => x.code === 'reserved-name' && x.path.join('.') === 'inputs.__proto__'));
});

test('check says 2 where eval says 2: a slot naming an unknown input', async () => {
  const { config } = withConfig((cfg) => {
    cfg.slots = { s: { inputs: ['dense', 'nosuch'] } };
  });
  const r = await expectExit2(
    ['check', '--config', config],
    /Slot "s" names input "nosuch", which the model does not have/,
  );
  assert.match(r.out, /reclens\.json:\d+:\d+/);
  await expectExit2(
    ['ablate', '--config', config, '--no-record', '--bootstrap', '0', '--repeats', '1'],
    /Slot "s" names input "nosuch"/,
  );
});

test('a group column with NULLs: check, eval, ablate, ceiling, rows and inspect all warn with the count; the record keeps it', async () => {
  const rows = (tinyRows(200) as unknown as Record<string, unknown>[]).map((r, i) =>
    i % 10 === 0 ? { ...r, user: '' } : r,
  );
  const { config, dir } = withConfig(() => undefined, rows);
  const warning = /20 of 200 rows have no group \(NULL in "user"\); GAUC and the bootstrap treat them as one group/;
  const r = await cli('check', '--config', config);
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, warning);
  for (const args of [
    ['eval', '--bootstrap', '0'],
    ['ablate', '--bootstrap', '0', '--repeats', '1'],
    ['ceiling', '--candidates', '2'],
  ]) {
    const job = await cli(...args, '--config', config, '--json');
    assert.equal(job.code, 0, `${args[0]}: ${job.err}`);
    assert.match(job.err, new RegExp(`reclens: warning: ${warning.source}`), `${args[0]} warns on stderr`);
    const out = JSON.parse(job.out); // stdout stays JSON
    const recordFile =
      out.runRecord ??
      fs
        .readdirSync(path.join(dir, '.reclens', 'runs'))
        .map((f) => path.join(dir, '.reclens', 'runs', f))
        .find((f) => f.includes(`-${args[0]}-`));
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    assert.equal(record.warnings.length, 1, args[0]);
    assert.match(record.warnings[0], warning, `${args[0]}'s run record`);
  }
  // The commands that read the data without running a job say it too, in the same words (stdout stays JSON).
  for (const args of [['rows', '--worst', '3'], ['inspect']]) {
    const shown = await cli(...args, '--config', config, '--json');
    assert.equal(shown.code, 0, `${args[0]}: ${shown.err}`);
    assert.match(shown.err, new RegExp(`reclens: warning: ${warning.source}`), `${args[0]} warns on stderr`);
    assert.deepEqual(
      JSON.parse(shown.out).warnings.map((w: string) => warning.test(w)),
      [true],
      `${args[0]} --json lists it`,
    );
    const text = await cli(...args, '--config', config);
    assert.equal(text.code, 0, `${args[0]}: ${text.err}`);
    assert.match(text.err, new RegExp(`reclens: warning: ${warning.source}`), `${args[0]} (text) warns on stderr`);
    assert.doesNotMatch(text.out, warning, `${args[0]}: the warning is not mixed into stdout`);
  }
  // The warning is about the rows evaluated: a filter that drops the NULL-group rows drops it.
  const filtered = withConfig((cfg) => {
    cfg.data.filter = 'user IS NOT NULL';
  }, rows);
  const clean = await cli('eval', '--config', filtered.config, '--no-record', '--bootstrap', '0');
  assert.equal(clean.code, 0, clean.err);
  assert.doesNotMatch(clean.err, /warning/);
});

test('labels written as yes/no: check, eval, rows and inspect say DuckDB reads them as booleans, with counts', async () => {
  const rows = (tinyRows(200) as unknown as Record<string, unknown>[]).map((r) => ({
    ...r,
    label: r.label ? 'yes' : 'no',
  }));
  const positives = rows.filter((r) => r.label === 'yes').length;
  const { config } = withConfig(() => undefined, rows);
  const message = new RegExp(
    `Label column "label" holds the words "no", "yes" \\(${200 - positives} rows "no", ${positives} rows "yes" in the file\\), which DuckDB reads as true/false`,
  );
  const r = await cli('check', '--config', config);
  assert.match(r.out, message);
  const ev = await cli('eval', '--config', config, '--no-record', '--bootstrap', '0', '--json');
  assert.equal(ev.code, 0, ev.err);
  assert.match(ev.err, message);
  assert.equal(JSON.parse(ev.out).positives, positives, 'yes counted as positive');
  for (const args of [['rows', '--worst', '3'], ['inspect']]) {
    const shown = await cli(...args, '--config', config);
    assert.equal(shown.code, 0, `${args[0]}: ${shown.err}`);
    assert.match(shown.err, new RegExp(`reclens: warning: ${message.source}`), `${args[0]} warns on stderr`);
    const clean = await cli(...args, '--config', tinyWorkspace().config);
    assert.equal(clean.code, 0, `${args[0]}: ${clean.err}`);
    assert.doesNotMatch(clean.err, /warning/, `${args[0]}: no warning for clean data`);
  }
  const plain = await cli('check', '--config', tinyWorkspace().config);
  assert.doesNotMatch(plain.out, /holds the words/);
  const plainEval = await cli('eval', '--config', tinyWorkspace().config, '--no-record', '--bootstrap', '0');
  assert.doesNotMatch(plainEval.err, /warning/);
});

test('malformed, partial and non-JSON run records: report and compare exit 2 naming the file', async () => {
  const { dir, config } = tinyWorkspace();
  const ok = await cli('eval', '--config', config, '--json', '--bootstrap', '0');
  assert.equal(ok.code, 0, ok.err);
  const good = JSON.parse(fs.readFileSync(JSON.parse(ok.out).runRecord, 'utf8'));
  const cases: [string, string, RegExp][] = [
    ['garbage.json', '{"id": "x", "kind": ', /garbage\.json is not valid JSON/],
    ['array.json', '[1, 2]', /array\.json is not a RecLens run record/],
    [
      'partial.json',
      JSON.stringify({ ...good, results: undefined }),
      /partial\.json is not a complete RecLens run record: "results" should be an object/,
    ],
    ['badid.json', JSON.stringify({ ...good, id: '../../etc/passwd' }), /"id" should be a run id/],
    ['hollow.json', JSON.stringify({ ...good, kind: 'lis', results: {} }), /Run record .* is incomplete/],
  ];
  for (const [name, text, message] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    await expectExit2(['report', '--run', file, '--out', path.join(dir, 'r.html')], message);
    if (name !== 'hollow.json')
      await expectExit2(['compare', '--run', file, '--run', JSON.parse(ok.out).runRecord], message);
  }
  assert.ok(!fs.existsSync(path.join(dir, 'r.html')), 'no half-written report');
});

test('messages that send the user to "reclens init" name a command that exists', async () => {
  const r = await expectExit2(['eval', '--config', '/nonexistent/reclens.json'], /cannot be read/);
  const mentions =
    /reclens init/.test(r.err) ||
    ['src/engine/config/loadConfig.ts', 'src/engine/check/checkConfig.ts'].some((f) =>
      /reclens init/.test(fs.readFileSync(path.join(__dirname, '..', '..', f), 'utf8')),
    );
  if (mentions) {
    // `reclens init` exists (issue 15): the usage lists it and the CLI dispatches it.
    const usage = await cli('init', '--no-such-flag');
    assert.equal(usage.code, 1);
    assert.match(usage.out + usage.err, /reclens init \[--model M\]/);
    assert.match(fs.readFileSync(path.join(__dirname, '..', '..', 'src/cli/main.ts'), 'utf8'), /case 'init':/);
  }
});

/** Bad data, models and tables as they reach the readers: each an exit-2 message that names files relative to the config. */
const READ_ERRORS: [string, (cfg: any, dir: string) => void, string[] | undefined, RegExp][] = [
  [
    'a NULL feature',
    () => undefined,
    ['user,item,d0,d1,d2,label', '1,1,,0.2,0.3,1', '2,2,0.1,0.2,0.3,0'],
    /Null value in data row 1 of data\.csv, column "d0"|NULL in column "d0"/,
  ],
  [
    'an unknown column',
    (c) => {
      c.inputs.dense.columns = ['d0', 'd1', 'nosuch'];
    },
    undefined,
    /"nosuch"/,
  ],
  [
    'an unterminated CSV quote',
    () => undefined,
    ['user,item,d0,d1,d2,label', '1,1,"x,0.2,0.3,1', '2,2,0.1,0.2,0.3,0'],
    /data\.csv|"d0" is VARCHAR/,
  ],
  [
    'a word in a float column',
    () => undefined,
    ['user,item,d0,d1,d2,label', '1,1,abc,0.2,0.3,1', '2,2,0.1,0.2,0.3,0'],
    /VARCHAR|abc|d0/,
  ],
  [
    'a missing data file',
    (c) => {
      c.data.path = 'nope.csv';
    },
    undefined,
    /"nope\.csv" does not exist \(looked for nope\.csv\)/,
  ],
  [
    'a missing model',
    (c) => {
      c.model.path = 'nope.onnx';
    },
    undefined,
    /"nope\.onnx" does not exist/,
  ],
  [
    'a model that is not ONNX',
    (_c, d) => {
      fs.writeFileSync(path.join(d, 'model.onnx'), 'garbage');
    },
    undefined,
    /Model file model\.onnx is not a valid ONNX model/,
  ],
  ['an empty data file', () => undefined, ['user,item,d0,d1,d2,label'], /data\.csv|VARCHAR/],
  [
    'a label that is not binary',
    () => undefined,
    ['user,item,d0,d1,d2,label', '1,1,0.1,0.2,0.3,5', '2,2,0.1,0.2,0.3,0'],
    /not binary/,
  ],
  [
    'a .npy table that is not one',
    (c, d) => {
      fs.writeFileSync(path.join(d, 't.npy'), 'garbage');
      c.tables = { t: { path: 't.npy' } };
      c.inputs.item = { table: 't', key: 'item' };
    },
    undefined,
    /t\.npy/,
  ],
  [
    'a Parquet file that is not one',
    (c, d) => {
      fs.writeFileSync(path.join(d, 'x.parquet'), 'garbage');
      c.data.path = 'x.parquet';
    },
    undefined,
    /x\.parquet/,
  ],
  [
    'a filter that keeps no row',
    (c) => {
      c.data.filter = 'd0 > 100';
    },
    undefined,
    /No evaluation rows in data\.csv after data\.filter|keeps no row/,
  ],
  [
    'a model output that does not exist',
    (c) => {
      c.model.output = 'nosuch';
    },
    undefined,
    /"nosuch" is not an output of model\.onnx/,
  ],
  [
    'a probability output outside [0, 1]',
    (c) => {
      c.model.output = 'logit';
      c.model.outputKind = 'probability';
    },
    ['user,item,d0,d1,d2,label', '1,1,5,-5,5,1', '2,2,0.1,0.2,0.3,0'],
    /outside \[0, 1\]/,
  ],
];

test("data-read errors name files relative to the config's folder, never by the workspace's absolute path", async () => {
  for (const [what, change, lines, message] of READ_ERRORS) {
    const { dir, config } = withConfig((cfg) => {
      cfg.runtime.batchSize = 16;
    });
    const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
    change(cfg, dir);
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2));
    if (lines) fs.writeFileSync(path.join(dir, 'data.csv'), lines.join('\n') + '\n');
    let matched = false;
    for (const cmd of ['check', 'eval']) {
      const r = await cli(cmd, '--config', config, '--no-record', '--bootstrap', '0');
      const text = (r.out + r.err).split(config).join('<config>'); // the config as the user named it
      if (r.code === 0) continue; // eval may accept what check only warns about
      assert.equal(r.code, 2, `${what}: ${cmd}: ${r.err}`);
      assert.ok(!text.includes(dir), `${what}: ${cmd} names the workspace's absolute path:\n${text}`);
      matched ||= message.test(text);
    }
    assert.ok(matched, `${what}: no message matched ${message}`);
  }
});

/** Mutations of a valid text: byte flips, cuts, duplicated spans and inserted JSON / SQL tokens. */
function mutate(text: string, rng: () => number): string {
  const tokens = [
    '{',
    '}',
    '[',
    ']',
    '"',
    ',',
    ':',
    '\\',
    'null',
    '-1',
    '1e999',
    '"__proto__"',
    '"constructor"',
    '"/dev/zero"',
    '";',
    '/*',
    '\u0000',
    '\uD800',
    'COPY',
    '"filter": "1=1; SELECT 1"',
  ];
  let t = text;
  const n = 1 + Math.floor(rng() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rng() * (t.length + 1));
    const op = Math.floor(rng() * 4);
    if (op === 0) t = t.slice(0, at) + String.fromCharCode(Math.floor(rng() * 128)) + t.slice(at + 1);
    else if (op === 1) t = t.slice(0, at);
    else if (op === 2) {
      const len = Math.floor(rng() * 40);
      t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
    } else t = t.slice(0, at) + tokens[Math.floor(rng() * tokens.length)] + t.slice(at);
  }
  return t;
}

const FUZZ_SEED = 20261201;
/** Each fuzz test stops after this long (bounded so `npm test` stays quick); the case sequence is seeded. */
const FUZZ_BUDGET_MS = 20_000;

test(
  `fuzz: mutated configs through \`reclens check\` exit 0 or 2 (seed ${FUZZ_SEED})`,
  { timeout: 300_000 },
  async () => {
    const rng = seededRandom(FUZZ_SEED);
    const { config } = tinyWorkspace();
    const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
    cfg.data.filter = 'd0 > 0 AND item IN (1, 2)';
    cfg.slots = { dense: { inputs: ['dense'] } };
    const base = JSON.stringify(cfg, null, 2);
    // The parser alone, many times: never throws.
    for (let i = 0; i < 3000; i++) parseConfig(mutate(base, rng), config);
    const t0 = Date.now();
    let runs = 0;
    const codes = new Map<number, number>();
    while (runs < 200 && (runs < 20 || Date.now() - t0 < FUZZ_BUDGET_MS)) {
      const text = mutate(base, rng);
      fs.writeFileSync(config, text);
      const r = await cli('check', '--config', config);
      assert.ok(r.code === 0 || r.code === 2, `case ${runs}: exit ${r.code}\n${text}\n${r.err}`);
      assert.doesNotMatch(r.err, /internal error|\n\s+at /, `case ${runs}:\n${text}`);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      runs++;
    }
    assert.ok(runs >= 20);
    assert.ok((codes.get(2) ?? 0) > 0, 'some mutations are errors');
  },
);

test(`fuzz: mutated .npy files parse or are exit-2 errors (seed ${FUZZ_SEED})`, { timeout: 120_000 }, () => {
  const rng = seededRandom(FUZZ_SEED + 1);
  const bases = [
    encodeNpy({ dtype: 'float32', shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) }),
    encodeNpy({ dtype: 'int64', shape: [5], data: BigInt64Array.from([1n, 2n, 3n, 4n, 5n]) }),
  ];
  const t0 = Date.now();
  let n = 0,
    parsed = 0;
  while (n < 20_000 && (n < 2000 || Date.now() - t0 < FUZZ_BUDGET_MS)) {
    const buf = Buffer.from(bases[n % 2]);
    const flips = 1 + Math.floor(rng() * 6);
    for (let k = 0; k < flips; k++) {
      // Mostly in the header, where the parser makes decisions.
      const at = rng() < 0.8 ? Math.floor(rng() * Math.min(buf.length, 128)) : Math.floor(rng() * buf.length);
      buf[at] = rng() < 0.5 ? Math.floor(rng() * 256) : "0123456789-(), 'L".charCodeAt(Math.floor(rng() * 17));
    }
    const cut = rng() < 0.2 ? buf.subarray(0, Math.floor(rng() * buf.length)) : buf;
    try {
      const a = parseNpy(cut, 'f.npy');
      assert.ok(a.shape.every((d) => Number.isSafeInteger(d) && d >= 0));
      parsed++;
    } catch (e) {
      assert.ok(e instanceof RecLensError && e.exitCode === 2, `case ${n}: ${(e as Error).stack}`);
    }
    n++;
  }
  assert.ok(n >= 2000 && parsed > 0);
});
