/**
 * The .vsix as a user gets it: `npm run package:vsix` (what `npm run package` runs after the build) must succeed,
 * and the package must hold what the installed extension needs and nothing else. Then the CLI inside it runs from an
 * unpacked copy far from the repository's node_modules, which proves the bundle and the vendored native modules
 * are complete.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { inflateRawSync } from 'zlib';
import { ROOT, tempDir } from './helpers';

interface ZipEntry {
  name: string;
  size: number;
  packed: number;
  data(): Buffer;
}

/** The entries of a zip file (central directory; vsce writes no zip64), with lazy decompression. */
function readZip(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const packed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      size,
      packed,
      data: () => {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const raw = buf.subarray(start, start + packed);
        return method === 0 ? Buffer.from(raw) : inflateRawSync(raw);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const VSIX = path.join(ROOT, 'reclens-linux-x64.vsix');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Packages allowed in dist/node_modules: the external native modules and their run-time dependencies. */
const VENDORED = [
  'onnxruntime-node',
  'onnxruntime-common',
  '@duckdb/node-bindings',
  '@duckdb/node-bindings-linux-x64',
  'detect-libc',
];

/** Every shipped file must match one of these (paths inside the .vsix). */
const ALLOWED: RegExp[] = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/[A-Za-z]+\.js$/,
  new RegExp(
    `^extension/dist/node_modules/(${VENDORED.map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})/`,
  ),
  /^extension\/out\/webview\/[a-z]+\.js$/,
  /^extension\/media\/[\w/.-]+\.(png|svg|css|md)$/,
  /^extension\/syntaxes\/[\w.-]+\.json$/,
  /^extension\/src\/engine\/config\/reclens\.schema\.json$/,
  /^extension\/bin\/reclens$/,
  /^extension\/examples\/planted\/(?!build\/)[\w/.-]+$/,
];

/** Never shipped, whatever the allowlist says, each with the reason shown when it is. */
const FORBIDDEN: [RegExp, string][] = [
  [/\.map$/, 'a source map'],
  [/\.ts$/, 'a TypeScript source or declaration'],
  [/(^|\/)(test|tests|__tests__|bench|benchmark)\//, 'tests or benchmarks'],
  [/(win32|darwin|arm64|musl)/, "another platform's binary"],
  [
    /node_modules\/(adm-zip|global-agent|boolean|es6-error|matcher|roarr|semver|serialize-error|escape-string-regexp)\//,
    "a package used only by onnxruntime-node's install script",
  ],
  [
    /libonnxruntime_providers_/,
    "onnxruntime's CUDA / TensorRT provider libraries (users bring their own: reclens.cudaLibraryPath)",
  ],
  [/\.(html|vsix)$|(^|\/)\.reclens\//, 'a report, a package or a run record'],
  [/(^|\/)examples\/movielens\//, 'the MovieLens example (11 MB, non-commercial licence)'],
];

/**
 * Size budget (MiB). 96% of the package is two native libraries that cannot shrink without dropping DuckDB or
 * onnxruntime: libduckdb.so (67.3) and libonnxruntime.so.1 (43.7), 40.6 packed. Everything else is ours and about
 * 4.1 unpacked (the example 2.1, screenshots 0.4, bundles 0.7, panels 0.5):
 * 8 leaves room to grow but catches a stray example (MovieLens is 11), a tree of node_modules or unbundled sources.
 */
const BUDGET = { packedMB: 45, unpackedMB: 130, nonNativeUnpackedMB: 8 };
const isNative = (name: string) => /\.(so(\.\d+)*|node)$/.test(name);

test(
  'npm run package:vsix packages the extension, and the .vsix holds only what the installed extension needs',
  { timeout: 600_000 },
  () => {
    fs.rmSync(VSIX, { force: true });
    const r = spawnSync('npm', ['run', '--silent', 'package:vsix'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm run package:vsix failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(fs.existsSync(VSIX), `${VSIX} was not written`);
    assert.doesNotMatch(r.stdout + r.stderr, /WARNING/, 'vsce warned');

    const entries = readZip(VSIX);
    const names = entries.map((e) => e.name);
    for (const name of names) {
      for (const [re, why] of FORBIDDEN) assert.doesNotMatch(name, re, `${name} is ${why}`);
      assert.ok(
        ALLOWED.some((re) => re.test(name)),
        `${name} is not expected in the .vsix`,
      );
    }

    // what the installed extension needs
    const { ENTRIES } = requireBundleScript();
    const required = [
      `extension/${pkg.main.replace(/^\.\//, '')}`,
      ...Object.keys(ENTRIES).map((e) => `extension/dist/${e}.js`),
      'extension/bin/reclens',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/readme.md',
      'extension/out/webview/results.js',
      'extension/out/webview/embedding.js',
      'extension/media/results.css',
      'extension/media/embedding.css',
      'extension/media/base.css',
      `extension/${pkg.icon}`,
      'extension/src/engine/config/reclens.schema.json',
      'extension/dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'extension/dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'extension/dist/node_modules/@duckdb/node-bindings-linux-x64/duckdb.node',
      'extension/dist/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so',
      'extension/examples/planted/reclens.json',
      'extension/examples/planted/model.onnx',
    ];
    for (const f of required) assert.ok(names.includes(f), `${f} is missing from the .vsix`);
    // every file package.json's contributions name (schema, grammar, language configuration, walkthrough media)
    const contributed =
      JSON.stringify(pkg.contributes).match(/"\.?\/?(?:media|syntaxes|src)\/[^"]+\.(?:json|md|png|svg)"/g) ?? [];
    for (const c of contributed) {
      const f = `extension/${c.slice(1, -1).replace(/^\.\//, '')}`;
      assert.ok(names.includes(f), `${f} (named in package.json contributes) is missing from the .vsix`);
    }

    // shipped JavaScript points at no source map
    for (const e of entries.filter((x) => x.name.endsWith('.js'))) {
      assert.doesNotMatch(
        e.data().toString('utf8'),
        /sourceMappingURL=(?!data:)/,
        `${e.name} has a sourceMappingURL comment to a map that is not shipped`,
      );
    }

    // size budget
    const mb = (n: number) => n / 1024 / 1024;
    const packed = mb(fs.statSync(VSIX).size);
    const unpacked = mb(entries.reduce((s, e) => s + e.size, 0));
    const nonNative = mb(entries.filter((e) => !isNative(e.name)).reduce((s, e) => s + e.size, 0));
    assert.ok(packed <= BUDGET.packedMB, `the .vsix is ${packed.toFixed(1)} MB, over the ${BUDGET.packedMB} MB budget`);
    assert.ok(
      unpacked <= BUDGET.unpackedMB,
      `the .vsix unpacks to ${unpacked.toFixed(1)} MB, over the ${BUDGET.unpackedMB} MB budget`,
    );
    assert.ok(
      nonNative <= BUDGET.nonNativeUnpackedMB,
      `everything but the native libraries is ${nonNative.toFixed(1)} MB unpacked, over the ${BUDGET.nonNativeUnpackedMB} MB budget`,
    );

    // The README on the extension page: VS Code renders only http(s) images and links there (relative and data:
    // targets are dropped), so vsce rewrites the README's relative links to the repository (the Marketplace's way);
    // each must name a file that exists here. The repository's README keeps relative links, which resolve here.
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const link of relativeLinks(readme))
      assert.ok(fs.existsSync(path.join(ROOT, link)), `README.md links to ${link}, which does not exist`);
    const shippedReadme = entries
      .find((e) => e.name === 'extension/readme.md')!
      .data()
      .toString('utf8');
    assert.deepEqual(
      relativeLinks(shippedReadme),
      [],
      'the packaged README has relative links, which the extension page drops',
    );
    const repo = pkg.repository.url.replace(/\.git$/, '');
    const images = (md: string) => [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images(readme).length >= 4, "the README shows the panels' screenshots");
    assert.deepEqual(
      images(shippedReadme),
      images(readme).map((src) => `${repo}/raw/main/${path.posix.normalize(src)}`),
      'each screenshot points at its file in the repository',
    );
    for (const [, file] of shippedReadme.matchAll(
      new RegExp(`${repo.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/(?:blob|raw)/main/([^)#\\s]+)`, 'g'),
    )) {
      assert.ok(
        fs.existsSync(path.join(ROOT, file)),
        `the packaged README links to ${file}, which is not in the repository`,
      );
    }

    // the CLI inside the package runs from an unpacked copy, with no access to the repository's node_modules
    const dir = tempDir('reclens-vsix-');
    for (const e of entries.filter((x) => x.name.startsWith('extension/'))) {
      const f = path.join(dir, e.name);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, e.data());
    }
    const ext = path.join(dir, 'extension');
    const cli = spawnSync(
      process.execPath,
      [
        path.join(ext, 'bin', 'reclens'),
        'eval',
        '--config',
        path.join(ext, 'examples', 'planted', 'reclens.json'),
        '--json',
        '--no-record',
        '--bootstrap',
        '0',
        '--providers',
        'cpu',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const truth = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'planted', 'truth.json'), 'utf8'));
    assert.equal(Number(JSON.parse(cli.stdout).auc.toFixed(4)), truth.measured.auc.full);
  },
);

/** The relative targets of Markdown links and images and of <img src>, without anchors. */
function relativeLinks(md: string): string[] {
  const links = [...md.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g), ...md.matchAll(/<img[^>]+src=["']([^"']+)["']/g)].map(
    (m) => m[1],
  );
  return links.filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#')).map((l) => l.split('#')[0]);
}

function requireBundleScript(): { ENTRIES: Record<string, string>; WORKERS: Record<string, string> } {
  // scripts/bundle.mjs is an ES module; its lists are plain object literals, read here without running esbuild
  const text = fs.readFileSync(path.join(ROOT, 'scripts', 'bundle.mjs'), 'utf8');
  const block = (name: string) => {
    const m = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\};`).exec(text);
    assert.ok(m, `scripts/bundle.mjs exports ${name}`);
    return Object.fromEntries([...m[1].matchAll(/^\s*(\w+): '([^']+)'/gm)].map((x) => [x[1], x[2]]));
  };
  const WORKERS = block('WORKERS');
  return { WORKERS, ENTRIES: { extension: 'src/extension/extension.ts', cli: 'src/cli/main.ts', ...WORKERS } };
}

test('every worker thread that src/ starts is an entry of the bundle (new Worker(path.join(__dirname, "<name>.js")))', () => {
  const { WORKERS } = requireBundleScript();
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
      );
  let found = 0;
  for (const f of files(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/new Worker\(([^;{\n]*)/g)) {
      const name = /['"]([\w.-]+)\.js['"]/.exec(m[1])?.[1];
      assert.ok(
        name,
        `${path.relative(ROOT, f)} starts a worker from ${m[1]}: name its file literally (path.join(__dirname, '<name>.js')) so the bundle can list it`,
      );
      assert.ok(
        WORKERS[name],
        `${path.relative(ROOT, f)} starts the worker ${name}.js, which is not in WORKERS in scripts/bundle.mjs`,
      );
      assert.ok(
        fs.existsSync(path.join(ROOT, WORKERS[name])),
        `WORKERS.${name} names ${WORKERS[name]}, which does not exist`,
      );
      assert.ok(fs.existsSync(path.join(ROOT, 'dist', `${name}.js`)), `dist/${name}.js was not built`);
      found++;
    }
  }
  assert.ok(
    found >= 2,
    `found ${found} new Worker calls in src/ (the inference worker and the compute worker at least)`,
  );
});

test('RecLens activates only where it is relevant, and its docs link inside the repository', () => {
  const events: string[] = pkg.activationEvents;
  for (const e of events)
    assert.doesNotMatch(
      e,
      /^(\*|onStartupFinished|onLanguage:(json|jsonc))$/,
      `activation event ${e} activates RecLens where it is not relevant`,
    );
  assert.ok(
    events.includes('workspaceContains:**/reclens.json') && events.includes('workspaceContains:**/*.reclens.json'),
  );
  const lang = pkg.contributes.languages.find((l: { filenames?: string[] }) => l.filenames?.includes('reclens.json'));
  assert.ok(
    lang && events.includes(`onLanguage:${lang.id}`),
    'reclens.json has a language of its own that activates RecLens',
  );
  assert.match(pkg.repository.url, /^https:\/\/github\.com\/reclens\/reclens(\.git)?$/);
  assert.ok(
    pkg.homepage.startsWith('https://github.com/reclens/reclens') &&
      pkg.bugs.url.startsWith('https://github.com/reclens/reclens'),
  );
  assert.match(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), new RegExp(`^${pkg.license} License`));
  for (const f of [
    'README.md',
    ...fs
      .readdirSync(path.join(ROOT, 'docs'))
      .filter((x) => x.endsWith('.md'))
      .map((x) => `docs/${x}`),
  ]) {
    const md = fs.readFileSync(path.join(ROOT, f), 'utf8');
    assert.doesNotMatch(md, /\.\.\/shared\//, `${f} links outside the repository`);
    for (const link of relativeLinks(md))
      assert.ok(fs.existsSync(path.join(ROOT, path.dirname(f), link)), `${f} links to ${link}, which does not exist`);
  }
});
