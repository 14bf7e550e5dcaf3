/**
 * Issue 11: one job registry for the CLI and the editor. Every option of every job must be reachable from both: its
 * CLI flag parses to it, the editor's run options carry it (checked against the same description), and --help
 * lists it. A new option added to src/engine/jobs/registry.ts is covered here without editing this file.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { flagString, jobOptionsFromFlags, parseFlags, parserOptions } from '../src/cli/flags';
import { HELP } from '../src/cli/help';
import type { OptionSpec } from '../src/engine/jobs/options';
import { JOB_KINDS, jobSpec, JobKind } from '../src/engine/jobs/registry';
import { reproduceArgs } from '../src/engine/runs/reproduce';
import { editorJobOptions, JobArgs } from '../src/extension/jobArgs';
import { cli, ROOT } from './helpers';

const SETTINGS = { seed: 11, bootstrap: 33, batchSize: 64 };

/** A value for the option that differs from its default, as command-line words and as the parsed value. */
function sample(o: OptionSpec<any>): { argv: string[]; value: unknown } {
  switch (o.type) {
    case 'int': {
      const v = (o.min ?? 0) + 3 + (o.default === (o.min ?? 0) + 3 ? 1 : 0);
      return { argv: [`--${o.flag}`, String(v)], value: v };
    }
    case 'string':
      return { argv: [`--${o.flag}`, 'some_name'], value: 'some_name' };
    case 'choice': {
      const v = o.choices!.find((c) => c !== o.default)!;
      return { argv: [`--${o.flag}`, v], value: v };
    }
    case 'list': {
      const v = o.choices ? [o.choices[o.choices.length - 1], o.choices[0]] : ['a', 'b+c'];
      return { argv: [`--${o.flag}`, v.join(',')], value: v };
    }
    case 'boolean':
      return { argv: [`--${o.flag}`], value: !o.negated };
    case 'repeated':
      return {
        argv: [`--${o.flag}`, 'window=7d,30d', `--${o.flag}`, 'minCount=2'],
        value: { window: [7 * 86400, 30 * 86400], minCount: [2] },
      };
  }
}

/** A value the description must refuse when the editor passes it. */
function wrong(o: OptionSpec<any>): unknown {
  switch (o.type) {
    case 'int':
      return (o.min ?? 0) - 1;
    case 'string':
      return 42;
    case 'choice':
      return 'no-such-choice';
    case 'list':
      return o.choices ? ['no-such-item'] : 'a,b';
    case 'boolean':
      return 'yes';
    case 'repeated':
      return 'window=7d';
  }
}

/** The options every run of the kind needs (e.g. embed --table), so that one option at a time can be varied. */
function required(kind: JobKind): string[] {
  return jobSpec(kind)
    .options.filter((o) => o.required)
    .flatMap((o) => [`--${o.flag}`, 'needed']);
}

test('the registry describes every job completely, and a flag shared by jobs parses alike for all of them', () => {
  assert.deepEqual(JOB_KINDS, ['eval', 'ablate', 'ceiling', 'lis', 'embed', 'align']);
  assert.doesNotThrow(() => parserOptions());
  for (const kind of JOB_KINDS) {
    const spec = jobSpec(kind);
    assert.ok(spec.title && spec.summary && typeof spec.run === 'function', kind);
    const names = spec.options.map((o) => o.name);
    assert.equal(new Set(names).size, names.length, `${kind}: an option listed twice`);
    for (const o of spec.options) {
      assert.ok(o.help.length > 10, `${kind} ${o.name}: no help`);
      if (o.type === 'choice')
        assert.ok(o.choices && o.choices.length > 1, `${kind} ${o.name}: a choice without choices`);
      if (o.default !== undefined && o.type === 'int')
        assert.ok((o.default as number) >= (o.min ?? 0), `${kind} ${o.name}: default below min`);
    }
    for (const r of spec.reproduce)
      assert.ok(names.includes(r), `${kind}: Reproduce names "${r}", which is not an option`);
  }
});

for (const kind of JOB_KINDS) {
  test(`${kind}: every option is reachable from the CLI and from the editor, and --help lists it`, async () => {
    const spec = jobSpec(kind);
    const jobHelp = await cli(kind, '--help');
    assert.equal(jobHelp.code, 0, jobHelp.err);
    const usage = HELP.slice(
      HELP.indexOf(`  reclens ${kind} `),
      HELP.indexOf('\n  reclens ', HELP.indexOf(`  reclens ${kind} `) + 1),
    );
    for (const o of spec.options) {
      const { argv, value } = sample(o);
      // CLI: the flag parses to the option, next to the options every run needs.
      const flags = parseFlags(['--config', 'reclens.json', ...required(kind), ...argv], HELP);
      const fromCli = (await jobOptionsFromFlags(kind, flags)) as unknown as Record<string, unknown>;
      assert.deepEqual(fromCli[o.name], value, `reclens ${kind} ${argv.join(' ')} sets ${o.name}`);
      // Editor: a command argument carries the option to the job; a malformed value is refused, not passed on.
      const fromEditor = editorJobOptions(kind, SETTINGS, undefined, { [o.name]: value });
      assert.deepEqual(fromEditor[o.name], value, `the editor's ${kind} args carry ${o.name}`);
      assert.throws(
        () => editorJobOptions(kind, SETTINGS, undefined, { [o.name]: wrong(o) }),
        new RegExp(`option "${o.name}"`),
      );
      // Help: the command's own help has the flag and what it does; the main help has it in the usage or common list.
      assert.ok(
        jobHelp.out.includes(`--${o.flag}`) && jobHelp.out.includes(o.help),
        `reclens ${kind} --help lists --${o.flag}`,
      );
      const common = HELP.slice(HELP.indexOf('Common options'));
      assert.ok(
        o.common ? common.includes(`--${o.flag} `) : usage.includes(`--${o.flag}`),
        `reclens --help lists --${o.flag} for ${kind}`,
      );
    }
  });
}

test('the editor fills the options its settings hold (seed, bootstrap, batch size, providers) where the job takes them', () => {
  const ev = editorJobOptions('eval', SETTINGS, ['cpu'], undefined);
  assert.deepEqual(ev, { seed: 11, providers: ['cpu'], batchSize: 64, bootstrap: 33 });
  const ce = editorJobOptions('ceiling', SETTINGS, undefined, { slots: ['genres'], seed: 5 });
  assert.equal(ce.bootstrap, undefined, 'ceiling takes no bootstrap');
  assert.equal(ce.seed, 5, 'an argument wins over the setting');
  assert.deepEqual(ce.slots, ['genres']);
  // withinGroup: the option the editor lacked before the registry (issue 11).
  const ab: JobArgs<'ablate'> = { withinGroup: true, method: 'permute' };
  assert.equal(editorJobOptions('ablate', SETTINGS, undefined, ab).withinGroup, true);
  // A tree node or a Uri passed as the argument carries nothing that is not an option.
  assert.deepEqual(
    Object.keys(
      editorJobOptions('lis', SETTINGS, undefined, { label: 'x', contextValue: 'config', fsPath: '/a' }),
    ).sort(),
    ['batchSize', 'bootstrap', 'providers', 'seed'],
  );
});

test('the run manager starts jobs through the registry, not a hand-written list of its own', () => {
  const src = fs.readFileSync(path.join(ROOT, 'src', 'extension', 'runManager.ts'), 'utf8');
  assert.match(src, /jobSpec\(kind\)\.run\(config, editorJobOptions\(kind,/);
  assert.doesNotMatch(src, /engine\/(ablation|lis|embedding)\//, 'runManager imports a job module directly');
});

test('CLI defaults are the ones the registry states, and the Reproduce line keeps the options that shape numbers', async () => {
  const ab = (await jobOptionsFromFlags('ablate', parseFlags(['--config', 'c.json'], HELP))) as unknown as Record<
    string,
    unknown
  >;
  assert.equal(ab.method, 'both');
  assert.equal(ab.repeats, 5);
  assert.equal(ab.bootstrap, 200);
  assert.equal(ab.seed, 0);
  assert.equal(ab.withinGroup, false);
  assert.equal(flagString(parseFlags(['--config', 'c.json'], HELP), 'config'), 'c.json');
  const argv = reproduceArgs('ablate', 'c.json', 3, {
    slots: ['a', 'b+c'],
    method: 'permute',
    repeats: 2,
    withinGroup: true,
    bootstrap: 15,
    limit: 100,
    batchSize: 9,
  });
  assert.deepEqual(argv, [
    'ablate',
    '--config',
    'c.json',
    '--slots',
    'a,b+c',
    '--method',
    'permute',
    '--repeats',
    '2',
    '--within-group',
    '--bootstrap',
    '15',
    '--limit',
    '100',
    '--seed',
    '3',
  ]);
  await assert.rejects(
    jobOptionsFromFlags('ablate', parseFlags(['--config', 'c.json', '--repeats', '0'], HELP)),
    /--repeats takes an integer >= 1, not "0"/,
  );
  await assert.rejects(jobOptionsFromFlags('embed', parseFlags(['--config', 'c.json'], HELP)), /embed needs --table/);
});
