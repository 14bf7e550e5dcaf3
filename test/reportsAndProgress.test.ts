/** Issue 14: the Reproduce line of every kind of report, report locations and id lookup, and the CLI progress bar. */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { cliProgress } from '../src/cli/progress';
import { cli, ROOT, tempDir, tinyWorkspace } from './helpers';

const PLANTED = path.join(ROOT, 'examples', 'planted', 'reclens.json');

/** Splits a POSIX shell line with single quotes (what shellQuote writes). */
function shellSplit(line: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return out;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The numbers that identify a run's result, per kind (seconds and ids differ between runs). */
function numbers(kind: string, r: any): unknown {
  switch (kind) {
    case 'eval':
      return [r.auc, r.gauc, r.logloss, r.ci];
    case 'ablate':
      return r.results.map((x: any) => [x.slot, x.method, x.deltaAuc, x.ci]);
    case 'ceiling':
      return r.results.map((x: any) => [x.slot, x.candidates, x.aucOracle, x.ceiling]);
    case 'lis':
      return [
        r.preferences.map((p: any) => [p.name, p.lis, p.lisCi, p.value]),
        r.tables.map((t: any) => [t.name, t.ais]),
        r.substitution,
      ];
    case 'embed':
      return [r.table, r.method, r.sampleSize, r.explainedVariance];
    case 'align':
      return [r.recallAtK, r.jaccardAtK, r.alignment, r.uniformity];
  }
  throw new Error(kind);
}

// Each kind with options that differ from the defaults, so a Reproduce line that dropped one would give other numbers.
const RUNS: [string, string[]][] = [
  ['eval', ['--bootstrap', '25', '--seed', '5', '--limit', '3000']],
  [
    'ablate',
    [
      '--slots',
      'leak,strong+useless',
      '--method',
      'permute',
      '--repeats',
      '2',
      '--within-group',
      '--bootstrap',
      '15',
      '--seed',
      '3',
      '--limit',
      '2500',
    ],
  ],
  ['ceiling', ['--slots', 'strong', '--candidates', '6', '--seed', '2', '--limit', '1500']],
  [
    'lis',
    ['--preferences', 'prefs_leak', '--tables', 'item_aligned', '--substitution', '--bootstrap', '10', '--seed', '4'],
  ],
  ['embed', ['--table', 'item_raw', '--method', 'pca', '--sample', '150', '--k', '5', '--seed', '6']],
  [
    'align',
    ['--table', 'item_raw', '--against', 'item_aligned', '--preferences', 'prefs_hist', '--k', '7', '--seed', '1'],
  ],
];

for (const [kind, args] of RUNS) {
  test(`Reproduce round trip: the line in a ${kind} report gives the same numbers`, async () => {
    const runs = tempDir();
    const first = await cli(kind, '--config', PLANTED, ...args, '--runs-dir', runs, '--json');
    assert.equal(first.code, 0, first.err);
    const a = JSON.parse(first.out);
    const out = path.join(tempDir(), 'r.html');
    const rep = await cli('report', '--run', a.runRecord, '--out', out);
    assert.equal(rep.code, 0, rep.err);
    const html = fs.readFileSync(out, 'utf8');
    const line = unescapeHtml(/<code class="reproduce">([^<]*)<\/code>/.exec(html)![1]);
    const argv = shellSplit(line);
    assert.equal(argv[0], 'reclens');
    assert.equal(argv[1], kind);
    for (let i = 0; i < args.length; i++)
      if (args[i].startsWith('--') && args[i] !== '--limit')
        assert.ok(argv.includes(args[i]), `${args[i]} kept in: ${line}`);
    const again = await cli(...argv.slice(1), '--json', '--no-record');
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(numbers(kind, JSON.parse(again.out)), numbers(kind, a));
  });
}

test('report: default output beside the runs (.reclens/reports), --run accepts any unique part of an id', async () => {
  const { dir, config } = tinyWorkspace();
  const ev = JSON.parse((await cli('eval', '--config', config, '--json')).out);
  const cwdBefore = fs.readdirSync(process.cwd());
  const suffix = ev.runId.split('-').slice(-2).join('-'); // e.g. "eval-r2vu8b"
  const r = await cli('report', '--run', suffix, '--config', config);
  assert.equal(r.code, 0, r.err);
  const expected = path.join(dir, '.reclens', 'reports', `reclens-${ev.runId}.html`);
  // Messages name files relative to the config's folder.
  const shown = path.relative(dir, expected);
  assert.equal(r.out.trim(), `wrote ${shown}`);
  assert.ok(fs.existsSync(expected));
  assert.deepEqual(fs.readdirSync(process.cwd()), cwdBefore, 'nothing written to the current directory');
  const latest = await cli('report', '--latest', '--config', config);
  assert.equal(latest.out.trim(), `wrote ${shown}`);
  // Two runs share "eval": an ambiguous part is a usage error naming the matches.
  await cli('eval', '--config', config, '--json');
  const amb = await cli('report', '--run', 'eval', '--config', config);
  assert.equal(amb.code, 1);
  assert.match(amb.err, /matches 2 runs/);
});

test('eval report: ROC and precision-recall curves, score histogram by label, every axis titled', async () => {
  const runs = tempDir();
  const ev = JSON.parse((await cli('eval', '--config', PLANTED, '--json', '--runs-dir', runs, '--limit', '2000')).out);
  assert.ok(ev.curves.roc.fpr.length > 10 && ev.curves.roc.fpr.length <= 201);
  const out = path.join(tempDir(), 'e.html');
  await cli('report', '--run', ev.runRecord, '--out', out);
  const html = fs.readFileSync(out, 'utf8');
  for (const t of ['ROC curve', 'Precision-recall', 'Predicted probability by label', 'Calibration'])
    assert.match(html, new RegExp(t));
  for (const a of [
    'false-positive rate',
    'true-positive rate',
    'recall',
    'precision',
    'mean predicted probability',
    'observed positive rate',
    'rows',
  ])
    assert.ok(html.includes(`class="axis-title">${a}`), a);
  // Calibration has tick labels 0.0 ... 1.0 on both axes.
  assert.ok((html.match(/class="tick">1\.0</g) ?? []).length >= 2);
});

test('embed and align reports draw charts, not JSON; embed names its table, not the evaluation data', async () => {
  const runs = tempDir();
  const em = JSON.parse(
    (await cli('embed', '--config', PLANTED, '--table', 'item_aligned', '--json', '--runs-dir', runs)).out,
  );
  const al = JSON.parse(
    (
      await cli(
        'align',
        '--config',
        PLANTED,
        '--table',
        'item_raw',
        '--against',
        'item_aligned',
        '--preferences',
        'prefs_hist',
        '--json',
        '--runs-dir',
        runs,
      )
    ).out,
  );
  for (const [j, checks] of [
    [em, ['Projection', 'Coloured by', 'class="legend"', 'table item_aligned']],
    [al, ['Alignment by popularity bucket', 'Recall@10', 'Jaccard@10', 'cold']],
  ] as [any, string[]][]) {
    const out = path.join(tempDir(), 'x.html');
    assert.equal((await cli('report', '--run', j.runRecord, '--out', out)).code, 0);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /<svg/);
    assert.doesNotMatch(html, /<pre>/, 'no JSON dump');
    assert.doesNotMatch(html, /rows of eval\.csv/);
    for (const c of checks) assert.ok(html.includes(c), c);
  }
});

test('embed and align print their run record; embed says where the coordinates went', async () => {
  const runs = tempDir();
  const em = await cli('embed', '--config', PLANTED, '--table', 'item_raw', '--runs-dir', runs);
  assert.match(em.out, /run record\s+\S+\.json/);
  assert.match(em.out, /coordinates\s+not saved \(pass --out/);
  const coords = path.join(tempDir(), 'c.parquet');
  const em2 = await cli('embed', '--config', PLANTED, '--table', 'item_raw', '--out', coords, '--no-record');
  assert.match(em2.out, /coordinates\s+\S*c\.parquet/);
  const al = await cli('align', '--config', PLANTED, '--table', 'item_raw', '--runs-dir', runs);
  assert.match(al.out, /run record \S+\.json/);
});

test('inspect lists every table the config defines, fed to the model or not', async () => {
  const r = await cli('inspect', '--config', PLANTED);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /item_raw\s+\S+ x \d+\s+feeds item_emb/);
  assert.match(r.out, /item_aligned\s+\S+ x \d+\s+not fed to the model/);
});

/** Runs bin/reclens under a pseudo-terminal (util-linux `script`), so stderr is a TTY as in a user's terminal. */
function onTty(command: string): string {
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, COLUMNS: '120' },
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

test('progress on a terminal: a bar with phase, pass count and percentage on stderr; --quiet and pipes get none', () => {
  const bin = path.join(ROOT, 'bin', 'reclens');
  const tty = onTty(
    `node ${bin} ablate --config ${PLANTED} --slots leak,strong --method both --repeats 2 --bootstrap 0 --no-record`,
  );
  assert.match(tty, /\r\x1b\[2K\[[#-]{20}\]\s+\d+% pass \d+ \/ 7 · (baseline|mask|permute)/);
  assert.match(tty, /pass 7 \/ 7/);
  assert.match(tty, /\r\x1b\[2KRecLens ablate:/, 'the bar is cleared before the result');
  const quiet = onTty(`node ${bin} eval --config ${PLANTED} --limit 2000 --no-record --quiet`);
  assert.doesNotMatch(quiet, /\x1b\[2K|pass \d+ \//);
  assert.match(quiet, /AUC\s+0\.\d{4}/);
  // --json: stdout is a file (clean JSON) while stderr, the terminal, shows the bar.
  const json = path.join(tempDir(), 'out.json');
  const both = onTty(`node ${bin} embed --config ${PLANTED} --table item_raw --no-record --json > ${json}`);
  assert.match(both, /\x1b\[2K\[[#-]{20}\]\s+\d+% (table|neighbours|pca)/);
  assert.equal(JSON.parse(fs.readFileSync(json, 'utf8')).table, 'item_raw');
  // Not a terminal (a pipe): no progress at all unless --progress asks for it.
  const piped = spawnSync(process.execPath, [bin, 'eval', '--config', PLANTED, '--limit', '2000', '--no-record'], {
    encoding: 'utf8',
  });
  assert.equal(piped.stderr, '');
  const forced = spawnSync(
    process.execPath,
    [bin, 'eval', '--config', PLANTED, '--limit', '2000', '--no-record', '--progress'],
    { encoding: 'utf8' },
  );
  assert.match(forced.stderr, /inference 2,000 \/ 2,000 \(100%\)/);
  assert.doesNotMatch(forced.stderr, /\x1b/);
});

test('progress renderer: ETA from the elapsed time, redraws throttled, cleared at the end', () => {
  let t = 0,
    text = '';
  const p = cliProgress(
    {
      isTTY: true,
      columns: 100,
      write: (s) => {
        text += s;
      },
    },
    {},
    () => t,
  );
  p.control.onProgress!({ phase: 'inference', done: 0, total: 1000 });
  t = 10_000;
  p.control.onProgress!({ phase: 'inference', done: 250, total: 1000 });
  assert.match(text, /25% inference 250 \/ 1,000 {2}ETA 30 s/);
  const before = text.length;
  t += 10; // within the redraw interval: not drawn
  p.control.onProgress!({ phase: 'inference', done: 260, total: 1000 });
  assert.equal(text.length, before);
  p.done();
  assert.ok(text.endsWith('\r\x1b[2K'));
  let off = '';
  cliProgress(
    {
      isTTY: true,
      write: (s) => {
        off += s;
      },
    },
    { quiet: true },
  ).control.onProgress?.({ phase: 'x', done: 1, total: 2 });
  assert.equal(off, '');
});

test('the LIS Reproduce line keeps --folds, --splits and the sweep, and the CLI parses the sweep back to the same windows and counts', async () => {
  const { reproduceArgs } = await import('../src/engine/runs/reproduce');
  const { parseSweep } = await import('../src/engine/lis/lis');
  const sweep = { window: [604800, 2592000, 5400], minCount: [1, 2, 5] };
  const args = reproduceArgs('lis', 'reclens.json', 7, {
    preferences: ['p'],
    folds: 3,
    splits: 4,
    sweep,
    bootstrap: 50,
  });
  assert.deepEqual(args.slice(args.indexOf('--folds'), args.indexOf('--folds') + 4), ['--folds', '3', '--splits', '4']);
  const sweeps = args.flatMap((a, i) => (a === '--sweep' ? [args[i + 1]] : []));
  assert.deepEqual(sweeps, ['window=7d,30d,5400s', 'minCount=1,2,5']);
  assert.deepEqual(parseSweep(sweeps), sweep);
  assert.ok(!reproduceArgs('lis', 'reclens.json', 7, { preferences: ['p'] }).includes('--sweep'), 'no sweep, no flag');
});
