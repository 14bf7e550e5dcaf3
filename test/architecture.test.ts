import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { ROOT } from './helpers';

/**
 * The layers point one way: engine <- protocol <- (extension, webview), and engine <- cli. These tests read every
 * import of every source file (static, dynamic, require, re-export, and inline `import('...').T` types) and fail on
 * an arrow that points the wrong way.
 */

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

interface Import {
  /** The specifier as written. */
  spec: string;
  /** The path it resolves to (relative to the repository root, '/'-separated), or undefined for a package. */
  target: string | undefined;
  /** `import type` / `export type`, or an inline `import('...')` inside a type. */
  typeOnly: boolean;
}

/** Every import of a file. Comments are removed first so that a path in prose is not taken for an import. */
function importsOf(file: string, source = fs.readFileSync(file, 'utf8')): Import[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    const target = spec.startsWith('.')
      ? path
          .relative(ROOT, path.resolve(path.dirname(file), spec))
          .split(path.sep)
          .join('/')
      : undefined;
    found.push({ spec, target, typeOnly });
  };
  // import ... from '...'; export ... from '...'; import '...'
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm))
    add(m[3], !!m[2]);
  // import('...') in code, or as a type (`: import('...').T`, `typeof import('...')`)
  for (const m of text.matchAll(/(typeof\s+|[:<|,(]\s*)?\bimport\(\s*['"]([^'"]+)['"]\s*\)(\.\w+)?/g)) {
    const inType = !!m[3] && !!m[1] && !m[1].trim().startsWith('(');
    add(m[2], inType);
  }
  for (const m of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1], false);
  return found;
}

const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
const under = (target: string | undefined, dir: string) =>
  target !== undefined && (target === dir || target.startsWith(`${dir}/`));

test('the import reader finds every kind of import (so the layer tests below can fail)', () => {
  const probe = path.join(ROOT, 'test', 'probe.ts');
  const source = [
    "import type { A } from '../src/protocol/rows';",
    "import { b } from '../src/engine/x';",
    "export type { C } from '../src/engine/y';",
    "export { d } from '../src/engine/z';",
    "import * as vscode from 'vscode';",
    "const e = () => import('../src/extension/q');",
    "let f: import('../src/cli/main').T;",
    "const g = require('../src/cli/r');",
    "// import { h } from '../src/extension/commented';",
  ].join('\n');
  const found = importsOf(probe, source)
    .map((i) => `${i.typeOnly ? 'type ' : ''}${i.target ?? i.spec}`)
    .sort();
  assert.deepEqual(
    found,
    [
      'src/cli/r',
      'src/engine/x',
      'src/engine/z',
      'src/extension/q',
      'type src/cli/main',
      'type src/engine/y',
      'type src/protocol/rows',
      'vscode',
    ].sort(),
  );
});

test('the engine and the CLI never import vscode (the arrow points one way)', () => {
  for (const f of [...files(path.join(ROOT, 'src', 'engine')), ...files(path.join(ROOT, 'src', 'cli'))]) {
    for (const i of importsOf(f)) {
      assert.notEqual(i.spec, 'vscode', `${rel(f)} imports vscode`);
      assert.ok(!under(i.target, 'src/extension'), `${rel(f)} imports the extension (${i.spec})`);
      assert.ok(!under(i.target, 'webview'), `${rel(f)} imports webview code (${i.spec})`);
    }
  }
});

test('the engine imports nothing from protocol, the extension or the CLI', () => {
  for (const f of files(path.join(ROOT, 'src', 'engine'))) {
    for (const i of importsOf(f)) {
      assert.ok(!under(i.target, 'src/cli'), `${rel(f)} imports the CLI (${i.spec})`);
      assert.ok(!under(i.target, 'src/extension'), `${rel(f)} imports the extension (${i.spec})`);
      assert.ok(!under(i.target, 'src/protocol'), `${rel(f)} imports the protocol (${i.spec})`);
    }
  }
  for (const f of files(path.join(ROOT, 'src', 'cli'))) {
    for (const i of importsOf(f))
      assert.ok(!under(i.target, 'src/extension'), `${rel(f)} imports the extension (${i.spec})`);
  }
  for (const f of files(path.join(ROOT, 'src', 'extension'))) {
    for (const i of importsOf(f)) assert.ok(!under(i.target, 'src/cli'), `${rel(f)} imports the CLI (${i.spec})`);
  }
});

test('the protocol imports only its own files and, type-only, the engine', () => {
  const all = files(path.join(ROOT, 'src', 'protocol'));
  assert.ok(all.length > 0);
  for (const f of all) {
    for (const i of importsOf(f)) {
      if (under(i.target, 'src/protocol')) continue;
      assert.ok(
        under(i.target, 'src/engine'),
        `${rel(f)} imports ${i.spec}: the protocol may import only the engine's types`,
      );
      assert.ok(
        i.typeOnly,
        `${rel(f)} imports ${i.spec} as a value: only \`import type\` / \`export type\` from the engine`,
      );
    }
  }
});

test('the webview imports only src/protocol, its own files, d3 and the UI toolkit', () => {
  const all = files(path.join(ROOT, 'webview'));
  assert.ok(all.length > 20);
  const packages = /^(d3(-[a-z-]+)?|@vscode\/webview-ui-toolkit)$/;
  for (const f of all) {
    for (const i of importsOf(f)) {
      if (i.target === undefined) assert.match(i.spec, packages, `${rel(f)} imports the package ${i.spec}`);
      else
        assert.ok(
          under(i.target, 'webview') || under(i.target, 'src/protocol'),
          `${rel(f)} imports ${i.spec}: the webview talks to the rest only through src/protocol`,
        );
    }
  }
});

test('the engine loads without the native modules until a job needs them', () => {
  const before = new Set(Object.keys(require.cache));
  require('../src/engine/config/loadConfig');
  require('../src/engine/evaluate');
  const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
  assert.ok(
    !loaded.some((k) => /onnxruntime-node|@duckdb/.test(k)),
    loaded.filter((k) => /onnxruntime|duckdb/.test(k)).join(', '),
  );
});
