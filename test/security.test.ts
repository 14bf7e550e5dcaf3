/**
 * The attack table: reclens.json files a cloned repository could carry, each run as the CLI a user would run
 * (a real process, so a hang or a crash shows as such), with the exit code, the message, and the file system
 * checked afterwards (nothing written, no secret echoed). Then the DuckDB lockdown alone, as if the filter check
 * had a gap, and the host's checks of webview messages.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { openDuck, sqlString } from '../src/engine/data/duck';
import { compileFilter } from '../src/engine/data/filterExpression';
import { encodeNpy } from '../src/engine/data/npy';
import { parseConfig } from '../src/engine/config/loadConfig';
import { setAllowedFolders, setWorkspaceFolders } from '../src/engine/util/fileRoots';
import { escapeHtml, parseEmbeddingMessage, parsePanelMessage } from '../src/protocol/validate';
import { ROOT, tempDir, TINY_MODEL, tinyWorkspace } from './helpers';

/** A folder outside the workspace holding a secret an attack tries to read, and where its writes would land. */
const outside = tempDir('reclens-outside-');
const SECRET = `RECLENS-SECRET-${process.pid}-7f3a`;
const secretFile = path.join(outside, 'secret.csv');
fs.writeFileSync(secretFile, `label,text\n1,${SECRET}\n`);
const pwned = path.join(outside, 'pwned.txt');

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs bin/reclens as a user would; a hang is killed after `timeout` ms (a failsafe, not a timing check). */
function reclens(
  args: string[],
  cwd?: string,
  timeout = 120_000,
): { code: number | null; out: string; err: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'reclens'), ...args], {
    encoding: 'utf8',
    timeout,
    cwd,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

interface Attack {
  name: string;
  /** Changes to the tiny workspace's config (data.filter and such), or files to plant. */
  setup: (ws: { dir: string; cfg: any }) => void;
  commands: string[][];
  message: RegExp;
  /** Files that must not exist afterwards. */
  notWritten?: string[];
}

const filter =
  (f: string) =>
  ({ dir: _d, cfg }: { dir: string; cfg: any }) => {
    cfg.data.filter = f;
  };

const ATTACKS: Attack[] = [
  {
    name: 'filter: several statements, one a COPY that writes a file',
    setup: filter(`1=1; COPY (SELECT 'owned') TO ${sqlString(pwned)}; SELECT 1 AS n WHERE 1=1`),
    commands: [['check'], ['inspect'], ['eval', '--no-record']],
    message: /data\.filter is not one SQL condition/,
    notWritten: [pwned],
  },
  {
    name: 'filter: a file read through read_text in a scalar subquery',
    setup: filter(`length((SELECT content FROM read_text(${sqlString(secretFile)}))) > 0`),
    commands: [['check'], ['eval', '--no-record']],
    message: /data\.filter holds a subquery/,
  },
  {
    name: 'filter: IN (SELECT ...) over read_csv of another file',
    setup: filter(`label IN (SELECT label FROM read_csv(${sqlString(secretFile)}))`),
    commands: [['check'], ['eval', '--no-record']],
    message: /data\.filter holds a subquery/,
  },
  {
    name: 'filter: closing the WHERE and adding a UNION',
    setup: filter(`1=1) UNION ALL SELECT * FROM read_csv(${sqlString(secretFile)}) WHERE (1=1`),
    commands: [['check']],
    message: /data\.filter is not one SQL condition/,
  },
  {
    name: 'filter: UNION without parentheses',
    setup: filter(`1=1 UNION ALL SELECT * FROM read_csv(${sqlString(secretFile)})`),
    commands: [['check']],
    message: /data\.filter must be one condition on a row/,
  },
  {
    name: 'filter: ATTACH a database file',
    setup: filter(`1=1; ATTACH ${sqlString(path.join(outside, 'x.db'))} AS x`),
    commands: [['check']],
    message: /data\.filter is not one SQL condition/,
    notWritten: [path.join(outside, 'x.db')],
  },
  {
    name: 'filter: INSTALL / LOAD an extension',
    setup: filter('1=1; INSTALL httpfs; LOAD httpfs'),
    commands: [['check']],
    message: /data\.filter is not one SQL condition/,
  },
  {
    name: 'filter: SET enable_external_access',
    setup: filter('1=1; SET enable_external_access = true'),
    commands: [['check']],
    message: /data\.filter is not one SQL condition/,
  },
  {
    name: 'filter: a table function in a scalar position (glob)',
    setup: filter(`label = (SELECT count(*) FROM glob('/etc/*'))`),
    commands: [['check']],
    message: /data\.filter holds a subquery/,
  },
  {
    name: 'filter: a scalar function outside the allow-list (getenv)',
    setup: filter(`getenv('HOME') IS NOT NULL`),
    commands: [['check'], ['inspect']],
    message: /data\.filter calls "getenv", which a filter may not use/,
  },
  {
    name: 'filter: the query() table macro',
    setup: filter(`EXISTS (FROM query('SELECT 1'))`),
    commands: [['check']],
    message: /data\.filter holds a subquery/,
  },
  {
    name: 'filter: COLUMNS(*) and a parameter',
    setup: filter('COLUMNS(*) > 0 OR label = $1'),
    commands: [['check']],
    message: /data\.filter uses "\*" or COLUMNS/,
  },
  {
    name: 'filter: a column that is not in the data',
    setup: filter(`passwd = 'root'`),
    commands: [['check']],
    message: /data\.filter reads "passwd", which is not a column of the data/,
  },
  {
    name: 'filter: a qualified name reaching another table',
    setup: filter(`information_schema.tables.table_name = 'x'`),
    commands: [['check']],
    message: /name a column of the data by itself/,
  },
  {
    name: 'filter: a 10 MB filter (the whole config is refused, unparsed)',
    setup: filter(`label = 1 OR ${'d0 > 0 OR '.repeat(1_000_000)}label = 0`),
    commands: [['check']],
    message: /The config is 9\.5 MiB; a reclens\.json is at most 1 MiB/,
  },
  {
    name: 'filter: 4,052 characters of conditions',
    setup: filter(`label = 1 OR ${'d0 > 0 OR '.repeat(403)}label = 0`),
    commands: [['check']],
    message: /data\.filter is 4,052 characters long; the limit is 4,000/,
  },
  {
    name: 'data.path: a named pipe (FIFO) that nobody writes',
    setup: ({ dir, cfg }) => {
      execFileSync('mkfifo', [path.join(dir, 'pipe.csv')]);
      cfg.data.path = 'pipe.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /"pipe\.csv" is not a regular file \(a named pipe\)/,
  },
  {
    name: 'model.path: a named pipe',
    setup: ({ dir, cfg }) => {
      execFileSync('mkfifo', [path.join(dir, 'pipe.onnx')]);
      cfg.model.path = 'pipe.onnx';
    },
    commands: [['check'], ['eval', '--no-record'], ['inspect']],
    message: /"pipe\.onnx" is not a regular file \(a named pipe\)/,
  },
  {
    name: 'model.path: /dev/zero (never ends), its folder allowed',
    setup: ({ cfg }) => {
      cfg.model.path = '/dev/zero';
    },
    commands: [
      ['check', '--allow-outside', '/dev'],
      ['eval', '--no-record', '--allow-outside', '/dev'],
    ],
    message: /"\/dev\/zero" is not a regular file \(a device or socket\)/,
  },
  {
    name: 'model.path: /dev/zero, outside the repository',
    setup: ({ cfg }) => {
      cfg.model.path = '/dev/zero';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Model file "\/dev\/zero" lies outside /,
  },
  {
    name: 'data.path: a symlink in the repository to a secret file outside it',
    setup: ({ dir, cfg }) => {
      fs.symlinkSync(secretFile, path.join(dir, 'eval.csv'));
      cfg.data.path = 'eval.csv';
    },
    commands: [['check'], ['inspect'], ['eval', '--no-record'], ['ablate', '--no-record']],
    message:
      /Data file "eval\.csv" is a symbolic link to \S*secret\.csv, outside the config's folder; RecLens reads no file out of it/,
  },
  {
    name: 'data.path: an absolute path to a file outside the repository',
    setup: ({ cfg }) => {
      cfg.data.path = secretFile;
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Data file "\S*secret\.csv" lies outside .*--allow-outside/,
  },
  {
    name: 'data.path: a chain of symlinks (a -> b -> sub/c -> the secret)',
    setup: ({ dir, cfg }) => {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync(secretFile, path.join(dir, 'sub', 'c.csv'));
      fs.symlinkSync('sub/c.csv', path.join(dir, 'b.csv'));
      fs.symlinkSync('b.csv', path.join(dir, 'a.csv'));
      cfg.data.path = 'a.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Data file "a\.csv" is a symbolic link to \S*secret\.csv, outside /,
  },
  {
    name: 'data.path: through a symlinked folder (data -> the folder outside)',
    setup: ({ dir, cfg }) => {
      fs.symlinkSync(outside, path.join(dir, 'data'));
      cfg.data.path = 'data/secret.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Data file "data\/secret\.csv" is a symbolic link to \S*secret\.csv, outside /,
  },
  {
    name: 'data.path: a symlink to a named pipe outside the repository',
    setup: ({ dir, cfg }) => {
      const pipe = path.join(outside, `pipe-${process.hrtime.bigint()}.csv`);
      execFileSync('mkfifo', [pipe]);
      fs.symlinkSync(pipe, path.join(dir, 'pipe.csv'));
      cfg.data.path = 'pipe.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Data file "pipe\.csv" is a symbolic link to \S*pipe-\d+\.csv, outside /,
  },
  {
    name: 'data.path: a symlink to a named pipe inside the repository',
    setup: ({ dir, cfg }) => {
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      fs.symlinkSync('fifo', path.join(dir, 'pipe.csv'));
      cfg.data.path = 'pipe.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /"pipe\.csv" is not a regular file \(a named pipe\)/,
  },
  {
    name: 'data.path: a symlink loop',
    setup: ({ dir, cfg }) => {
      fs.symlinkSync('b.csv', path.join(dir, 'a.csv'));
      fs.symlinkSync('a.csv', path.join(dir, 'b.csv'));
      cfg.data.path = 'a.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Data file "a\.csv" is a symbolic link that loops/,
  },
  {
    name: 'model.path: a symlink to a model outside the repository',
    setup: ({ dir, cfg }) => {
      const model = path.join(outside, 'model.onnx');
      if (!fs.existsSync(model)) fs.copyFileSync(path.join(dir, 'model.onnx'), model);
      fs.symlinkSync(model, path.join(dir, 'linked.onnx'));
      cfg.model.path = 'linked.onnx';
    },
    commands: [['check'], ['inspect'], ['eval', '--no-record']],
    message: /Model file "linked\.onnx" is a symbolic link to \S*model\.onnx, outside /,
  },
  {
    name: 'tables.<name>.ids: a symlink to a file outside',
    setup: ({ dir, cfg }) => {
      fs.writeFileSync(
        path.join(dir, 't.npy'),
        encodeNpy({ dtype: 'float32', shape: [10, 2], data: new Float32Array(20) }),
      );
      fs.symlinkSync(secretFile, path.join(dir, 'ids.npy'));
      cfg.tables = { t: { path: 't.npy', ids: 'ids.npy' } };
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /Table "t" ids file "ids\.npy" is a symbolic link to \S*secret\.csv, outside /,
  },
  {
    name: 'preferences.<name>.pairs, items.path, interactions.path: symlinks to a file outside',
    setup: ({ dir, cfg }) => {
      for (const f of ['pairs.csv', 'items.csv', 'log.csv']) fs.symlinkSync(secretFile, path.join(dir, f));
      cfg.preferences = { p: { pairs: 'pairs.csv' } };
      cfg.items = { path: 'items.csv', id: 'item' };
      cfg.interactions = { path: 'log.csv' };
    },
    commands: [['check'], ['eval', '--no-record'], ['lis', '--no-record']],
    message:
      /Preference "p" pairs file "pairs\.csv" is a symbolic link[^]*Items file "items\.csv" is a symbolic link|Items file "items\.csv" is a symbolic link[^]*Preference "p" pairs file "pairs\.csv" is a symbolic link/,
  },
  {
    name: 'data.path: a directory named like a data file',
    setup: ({ dir, cfg }) => {
      fs.mkdirSync(path.join(dir, 'folder.csv'));
      cfg.data.path = 'folder.csv';
    },
    commands: [['check'], ['eval', '--no-record']],
    message: /"folder\.csv" is not a regular file \(a directory\)/,
  },
  {
    name: 'data.path: over the size limit (--max-file-size 1)',
    setup: ({ dir }) => {
      fs.appendFileSync(path.join(dir, 'data.csv'), '0,0,0.1,0.2,0.3,1\n'.repeat(70_000));
    },
    commands: [
      ['check', '--max-file-size', '1'],
      ['eval', '--no-record', '--max-file-size', '1'],
    ],
    message: /"data\.csv" is [\d,]+ MiB, over the 1 MiB limit/,
  },
];

for (const attack of ATTACKS) {
  test(`attack: ${attack.name}`, () => {
    const { dir, config } = tinyWorkspace();
    const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
    attack.setup({ dir, cfg });
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2));
    const before = { ws: listing(dir), out: listing(outside) };
    fs.utimesSync(secretFile, new Date(1e12), new Date()); // an atime older than the mtime: any read moves it (relatime)
    const secretAtime = fs.statSync(secretFile).atimeMs;
    for (const cmd of attack.commands) {
      const [name, ...rest] = cmd;
      const r = reclens([name, '--config', 'reclens.json', ...rest], dir); // run from the workspace, as a user would
      const what = `${cmd.join(' ')}: ${r.err}`;
      assert.ok(!(r.err + r.out).includes(dir), `${what} (names the workspace by its absolute path)`);
      assert.equal(r.signal, null, `${what} (killed: it hung)`);
      assert.equal(r.code, 2, what);
      assert.match(r.err + r.out, attack.message, what);
      assert.doesNotMatch(r.err + r.out, /\n\s+at /, 'no stack trace');
      assert.ok(!(r.err + r.out).includes(SECRET), 'the secret is not echoed');
      assert.ok(!/internal error/.test(r.err), what);
    }
    assert.deepEqual(listing(dir), before.ws, 'nothing written in the workspace');
    assert.deepEqual(listing(outside), before.out, 'nothing written outside it');
    for (const f of attack.notWritten ?? []) assert.ok(!fs.existsSync(f), `${f} was not written`);
    assert.equal(fs.statSync(secretFile).atimeMs, secretAtime, 'the secret was not read');
  });
}

test('symlinks that stay inside the repository work; --allow-outside admits a dataset elsewhere (and it is then read)', () => {
  const { dir, config } = tinyWorkspace();
  fs.mkdirSync(path.join(dir, 'real'));
  fs.renameSync(path.join(dir, 'data.csv'), path.join(dir, 'real', 'data.csv'));
  fs.symlinkSync('real/data.csv', path.join(dir, 'data.csv'));
  const inside = reclens(['eval', '--config', config, '--json', '--no-record']);
  assert.equal(inside.code, 0, inside.err);
  assert.equal(JSON.parse(inside.out).rows, 400, 'DuckDB reads through a link whose target is allowed');

  const mount = tempDir('reclens-mount-');
  fs.renameSync(path.join(dir, 'real', 'data.csv'), path.join(mount, 'data.csv'));
  fs.rmSync(path.join(dir, 'data.csv'));
  fs.symlinkSync(path.join(mount, 'data.csv'), path.join(dir, 'data.csv'));
  fs.utimesSync(path.join(mount, 'data.csv'), new Date(1e12), new Date());
  const atime = fs.statSync(path.join(mount, 'data.csv')).atimeMs;
  const refused = reclens(['eval', '--config', config, '--no-record']);
  assert.equal(refused.code, 2, refused.err);
  assert.match(refused.err, new RegExp(`--allow-outside ${mount.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(fs.statSync(path.join(mount, 'data.csv')).atimeMs, atime, 'not read when refused');
  const allowed = reclens(['eval', '--config', config, '--json', '--no-record', '--allow-outside', mount]);
  assert.equal(allowed.code, 0, allowed.err);
  assert.equal(JSON.parse(allowed.out).rows, 400);
  // The probe the attack table relies on: a read does move the atime on this file system.
  assert.notEqual(fs.statSync(path.join(mount, 'data.csv')).atimeMs, atime, 'read once allowed');
});

test('a benign filter still works, and is what DuckDB runs (rows filtered as written)', () => {
  const { config } = tinyWorkspace();
  const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
  cfg.data.filter =
    "D0 > 0 AND item IN (1, 2, 3) AND NOT (d1 BETWEEN -0.5 AND 0.5) AND user IS NOT NULL AND lower('X') = 'x'";
  fs.writeFileSync(config, JSON.stringify(cfg));
  const r = reclens(['eval', '--config', config, '--json', '--no-record']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out).rows;
  // The same rows counted in JS from the CSV the workspace wrote.
  const lines = fs
    .readFileSync(path.join(path.dirname(config), 'data.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const expected = lines.filter(
    ([, item, d0, d1]) => d0 > 0 && [1, 2, 3].includes(item) && !(d1 >= -0.5 && d1 <= 0.5),
  ).length;
  assert.ok(expected > 0);
  assert.equal(rows, expected);
});

test('compileFilter writes the SQL from the parsed tree: identifiers quoted, constants re-written, columns matched', async () => {
  const duck = await openDuck(1, []);
  try {
    const cols = ['label', 'Genre', 'we"ird'];
    const ok = async (text: string) => {
      const r = await compileFilter(duck, text, cols);
      assert.ok(r.ok, `${text}: ${JSON.stringify(r)}`);
      return r.ok ? r.sql : '';
    };
    assert.equal(await ok('label >= 0.5'), '("label" >= 0.5)');
    assert.equal(await ok(`genre = 'it''s'`), `("Genre" = 'it''s')`);
    assert.equal(await ok('"we""ird" IS NULL'), '("we""ird" IS NULL)');
    assert.equal(await ok("label IN (1, -2) OR label LIKE 'x%'"), `(("label" IN (1, -2)) OR ("label" LIKE 'x%'))`);
    const bad = await compileFilter(duck, "label = 1 AND read_csv_auto('x') IS NULL", cols);
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.match(bad.message, /calls "read_csv_auto"/);
      assert.equal(bad.offset, 14);
    }
  } finally {
    duck.close();
  }
});

test('DuckDB lockdown: with the filter check bypassed, nothing outside the declared files is reachable', async () => {
  const { dir } = tinyWorkspace();
  const data = path.join(dir, 'data.csv');
  const duck = await openDuck(1, [data], dir);
  try {
    const n = await duck.conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_csv(${sqlString(data)})`);
    assert.equal(n.getRowObjects()[0].n, 400, 'the declared file is readable');
    const denied = [
      `SELECT * FROM read_csv(${sqlString(secretFile)})`,
      `SELECT * FROM read_text(${sqlString(secretFile)})`,
      `SELECT * FROM read_blob('/etc/passwd')`,
      `SELECT * FROM glob(${sqlString(outside + '/*')})`,
      `COPY (SELECT 'owned') TO ${sqlString(pwned)}`,
      `COPY (SELECT 'owned') TO ${sqlString(path.join(dir, 'next-to-data.csv'))}`,
      `ATTACH ${sqlString(path.join(outside, 'x.db'))} AS x`,
      'INSTALL httpfs',
      'LOAD httpfs',
      'SET enable_external_access = true',
      "SET allowed_paths = ['/']",
      'RESET lock_configuration',
      `SET temp_directory = ${sqlString(outside)}`,
    ];
    for (const sql of denied) {
      await assert.rejects(
        duck.conn.run(sql),
        (e: Error) => {
          assert.ok(!e.message.includes(SECRET), 'no file contents in the error');
          return /Permission Error|disabled|locked|Cannot change configuration/i.test(e.message);
        },
        sql,
      );
    }
  } finally {
    duck.close();
  }
  assert.ok(!fs.existsSync(pwned));
  assert.ok(!fs.existsSync(path.join(dir, 'next-to-data.csv')));
  assert.ok(!fs.existsSync(path.join(outside, 'x.db')));
});

test('webview messages: run ids must be ids, fields typed and bounded, anything else dropped', () => {
  assert.deepEqual(parsePanelMessage({ type: 'openRecord', runId: '20260101T120000Z-eval-ab12cd' }), {
    type: 'openRecord',
    runId: '20260101T120000Z-eval-ab12cd',
  });
  for (const runId of ['../../../etc/passwd', '..', '20260101T120000Z-eval-ab12cd/../../x', '', 7, null]) {
    assert.equal(parsePanelMessage({ type: 'openRecord', runId }), undefined, String(runId));
  }
  assert.equal(parsePanelMessage({ type: 'runAblation', slots: 'a', together: false }), undefined);
  assert.equal(parsePanelMessage({ type: 'runAblation', slots: [], together: false }), undefined);
  assert.equal(parsePanelMessage({ type: 'runAblation', slots: [{}], together: false }), undefined);
  assert.equal(parsePanelMessage({ type: 'runAblation', slots: ['a'], together: 'yes' }), undefined);
  assert.deepEqual(parsePanelMessage({ type: 'runAblation', slots: ['a', 'b'], together: true, extra: 1 }), {
    type: 'runAblation',
    slots: ['a', 'b'],
    together: true,
  });
  assert.equal(parsePanelMessage({ type: 'runCeiling', slots: Array(5000).fill('a') }), undefined);
  assert.equal(parsePanelMessage({ type: 'revealSlot', slot: 'x'.repeat(10_000) }), undefined);
  assert.equal(parsePanelMessage({ type: 'export', format: 'exe', suggestedName: 'a.exe', text: '' }), undefined);
  assert.deepEqual(parsePanelMessage({ type: 'export', format: 'csv', suggestedName: '../../.bashrc', text: 'x' }), {
    type: 'export',
    format: 'csv',
    suggestedName: '_.._.bashrc.csv',
    text: 'x',
  });
  assert.deepEqual(
    parsePanelMessage({ type: 'export', format: 'png', suggestedName: 'c.png', bytes: { 0: 137, 1: 80 } }),
    { type: 'export', format: 'png', suggestedName: 'c.png', bytes: Uint8Array.from([137, 80]) },
  );
  assert.equal(
    parsePanelMessage({ type: 'export', format: 'png', suggestedName: 'c.png', bytes: { 0: 999 } }),
    undefined,
  );
  // Requests carry a messageId the host's reply names; anything but a non-negative safe integer drops the message.
  assert.deepEqual(parsePanelMessage({ type: 'compareWith', messageId: 3 }), { type: 'compareWith', messageId: 3 });
  assert.deepEqual(
    parsePanelMessage({ type: 'export', messageId: 0, format: 'csv', suggestedName: 'a.csv', text: 'x' }),
    { type: 'export', messageId: 0, format: 'csv', suggestedName: 'a.csv', text: 'x' },
  );
  for (const messageId of [-1, 1.5, '3', null, 2 ** 53, {}, NaN]) {
    assert.equal(parsePanelMessage({ type: 'compareWith', messageId }), undefined, String(messageId));
    assert.equal(
      parsePanelMessage({ type: 'export', messageId, format: 'csv', suggestedName: 'a.csv', text: 'x' }),
      undefined,
      String(messageId),
    );
  }
  assert.equal(parsePanelMessage({ type: 'evil' }), undefined);
  assert.equal(parsePanelMessage(null), undefined);
  assert.equal(parsePanelMessage('ready'), undefined);
  assert.deepEqual(parseEmbeddingMessage({ type: 'selection', table: 't', ids: ['1', '2'] }), {
    type: 'selection',
    table: 't',
    ids: ['1', '2'],
  });
  assert.equal(parseEmbeddingMessage({ type: 'selection', table: 't', ids: [1] }), undefined);
  assert.equal(parseEmbeddingMessage({ type: 'openItem', table: '', id: 'x' }), undefined);
});

test('titles are escaped before they go into HTML', () => {
  assert.equal(
    escapeHtml(`</title><script>alert("x")</script>'&`),
    '&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;',
  );
});

test("the root a config's files must lie in: its folder, the git work tree holding it, or the editor's workspace folder", () => {
  const repo = tempDir('reclens-repo-');
  fs.mkdirSync(path.join(repo, 'configs'));
  fs.mkdirSync(path.join(repo, 'data'));
  fs.copyFileSync(TINY_MODEL, path.join(repo, 'data', 'model.onnx'));
  fs.writeFileSync(path.join(repo, 'data', 'eval.csv'), 'label,d0\n1,0.5\n');
  const file = path.join(repo, 'configs', 'reclens.json');
  const text = JSON.stringify({ model: '../data/model.onnx', data: { path: '../data/eval.csv', label: 'label' } });
  const codes = () =>
    parseConfig(text, file)
      .problems.filter((p) => p.severity === 'error')
      .map((p) => p.code);
  try {
    assert.deepEqual(codes(), ['outside-root', 'outside-root'], "no repository, no workspace: the config's folder");
    fs.mkdirSync(path.join(repo, '.git'));
    assert.deepEqual(codes(), [], 'the git work tree holding the config');
    fs.rmSync(path.join(repo, '.git'), { recursive: true });
    setWorkspaceFolders([repo]);
    assert.deepEqual(codes(), [], 'the workspace folder holding the config');
    setWorkspaceFolders([path.join(repo, 'configs')]);
    assert.deepEqual(codes(), ['outside-root', 'outside-root'], "a workspace opened on the config's folder");
    setAllowedFolders([path.join(repo, 'data')]);
    assert.deepEqual(codes(), [], 'an allowed folder');
    assert.equal(parseConfig(text, file).config?.data.path, path.join(repo, 'data', 'eval.csv'));
  } finally {
    setWorkspaceFolders(undefined);
    setAllowedFolders([]);
  }
});
