import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { cli, tempDir, tinyWorkspace } from './helpers';

test("report --latest writes one self-contained HTML file with the run's numbers and charts", async () => {
  const { config } = tinyWorkspace();
  const runs = tempDir();
  const ev = JSON.parse((await cli('eval', '--config', config, '--json', '--runs-dir', runs, '--bootstrap', '20')).out);
  const ab = await cli(
    'ablate',
    '--config',
    config,
    '--runs-dir',
    runs,
    '--repeats',
    '2',
    '--bootstrap',
    '20',
    '--json',
  );
  assert.equal(ab.code, 0, ab.err);
  const out = path.join(tempDir(), 'r.html');
  const r = await cli('report', '--latest', '--runs-dir', runs, '--out', out);
  assert.equal(r.code, 0, r.err);
  const html = fs.readFileSync(out, 'utf8');
  assert.match(html, /RecLens ablate/);
  assert.match(html, /<svg/);
  const abl = JSON.parse(ab.out);
  assert.ok(html.includes(abl.results[0].deltaAuc.toFixed(4)));
  assert.doesNotMatch(html, /(src|href)=["']?https?:/i, 'nothing remote');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  const evOut = path.join(tempDir(), 'e.html');
  assert.equal((await cli('report', '--run', ev.runRecord, '--out', evOut)).code, 0);
  assert.ok(fs.readFileSync(evOut, 'utf8').includes(ev.auc.toFixed(4)));
  assert.equal((await cli('report', '--run', 'nope', '--runs-dir', runs)).code, 2);
});

test('compare: two evaluations of the same rows get paired differences (B - A) with intervals', async () => {
  const { dir, config } = tinyWorkspace();
  const other = path.join(dir, 'swapped.reclens.json');
  const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
  cfg.inputs.dense.columns = ['d1', 'd0', 'd2']; // a worse "model version": two features swapped
  fs.writeFileSync(other, JSON.stringify(cfg));
  const runs = tempDir();
  const a = JSON.parse((await cli('eval', '--config', config, '--json', '--runs-dir', runs)).out);
  const b = JSON.parse((await cli('eval', '--config', other, '--json', '--runs-dir', runs)).out);
  const r = await cli(
    'compare',
    '--run',
    a.runId,
    '--run',
    b.runId,
    '--runs-dir',
    runs,
    '--json',
    '--bootstrap',
    '100',
  );
  assert.equal(r.code, 0, r.err);
  const c = JSON.parse(r.out);
  assert.ok(c.sameData);
  assert.ok(Math.abs(c.paired.diff.auc - (b.auc - a.auc)) < 1e-12);
  assert.ok(c.paired.diff.auc < 0, 'the swapped model ranks worse');
  assert.ok(c.paired.ci.auc[0] <= c.paired.diff.auc && c.paired.diff.auc <= c.paired.ci.auc[1]);
  const ab = JSON.parse(
    (await cli('ablate', '--config', config, '--json', '--runs-dir', runs, '--bootstrap', '0', '--method', 'mask')).out,
  );
  const mixed = JSON.parse(
    (await cli('compare', '--run', a.runId, '--run', ab.runId, '--runs-dir', runs, '--json')).out,
  );
  assert.equal(mixed.paired, null);
  assert.match(mixed.note, /two evaluations of the same rows/);
});
