// Bundles the extension host code with esbuild: one CommonJS file per entry in dist/, for the .vsix and the CLI.
// The native modules stay external (they are shipped in node_modules, see .vscodeignore); everything else that
// the entries import (ajv, jsonc-parser, umap-js ...) is inlined.
//
// The external packages are copied (hard-linked where possible) with their runtime dependencies into
// dist/node_modules, the only node_modules the .vsix carries: this platform's binaries only, no TypeScript sources,
// type declarations, maps, READMEs or install scripts, and no sourceMappingURL comments pointing at maps left out.
//
// A worker thread is started from a file beside the code that starts it (new Worker(path.join(__dirname,
// '<name>.js'))), and in the bundle __dirname is dist/, so each worker is an entry of its own whose output name is
// that file name. A new worker is one line in WORKERS; test/package.test.ts fails when a `new Worker` in src/ names
// a file that is not listed here.
import { build } from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Worker entry points: output name (the file name `new Worker` asks for, without .js) -> source. */
export const WORKERS = {
  inferenceWorkerMain: 'src/engine/model/inferenceWorkerMain.ts',
  onnxWorker: 'src/engine/model/onnxWorker.ts',
  worker: 'src/engine/compute/worker.ts',
};

/** Every bundle: the extension (package.json "main"), the CLI (bin/reclens) and the workers. */
export const ENTRIES = {
  extension: 'src/extension/extension.ts',
  cli: 'src/cli/main.ts',
  ...WORKERS,
};

/**
 * Loaded at run time from node_modules: the packages that load native addons (onnxruntime-node's binding and
 * libonnxruntime; @duckdb/node-bindings' duckdb.node and libduckdb). @duckdb/node-api is plain JavaScript over
 * the bindings (about 180 files), so it is bundled.
 */
export const EXTERNAL = ['vscode', 'onnxruntime-node', '@duckdb/node-bindings'];

export const OUT_DIR = 'dist';

/**
 * Dependencies of the externals used only when npm installs them, never at run time: onnxruntime-node's
 * script/install downloads its optional CUDA libraries with adm-zip and global-agent (a proxy agent).
 */
export const INSTALL_ONLY = ['adm-zip', 'global-agent'];

/** Files of a vendored package left out (path relative to the package folder, with forward slashes). */
function leftOut(rel) {
  if (/(^|\/)(test|tests|docs|script|scripts|\.github)\//.test(rel)) return true; // tests, docs, install scripts
  if (/\.(map|ts|md|markdown|tsbuildinfo)$/i.test(rel) && !/^LICEN[CS]E/i.test(rel)) return true; // maps, .ts / .d.ts sources, READMEs
  if (/(^|\/)dist\/esm\//.test(rel)) return true; // ES-module duplicate builds: node loads the CommonJS ones
  // onnxruntime-node carries every platform's binaries in bin/napi-v*/<platform>/<arch>: keep this machine's only
  const bin = /^bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(rel);
  if (bin && (bin[1] !== process.platform || bin[2] !== process.arch)) return true;
  // onnxruntime's CUDA / TensorRT provider libraries (present after a developer's `npm rebuild` with CUDA): hundreds of
  // MB that must not reach the .vsix; RECLENS_CUDA_LIBRARY_PATH links them in at run time (src/engine/model/cudaLibraries.ts)
  if (/(^|\/)libonnxruntime_providers_[^/]*$/.test(rel)) return true;
  return false;
}

/** The externals' packages and everything they need at run time (dependencies and installed optional ones). */
export function runtimePackages() {
  const found = new Map(); // name -> folder
  const visit = (name) => {
    if (found.has(name) || name === 'vscode' || INSTALL_ONLY.includes(name)) return;
    const dir = path.join(root, 'node_modules', name);
    if (!fs.existsSync(path.join(dir, 'package.json'))) return; // an optional dependency for another platform
    found.set(name, dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})])
      visit(dep);
  };
  for (const name of EXTERNAL) visit(name);
  return found;
}

function walk(dir, base = dir, out = []) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (d.name !== 'node_modules') walk(p, base, out);
    } else if (d.isFile()) out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

/** Copies the runtime packages into dist/node_modules; returns the number of files. */
export function vendor() {
  const target = path.join(root, OUT_DIR, 'node_modules');
  let files = 0;
  for (const [name, dir] of runtimePackages()) {
    for (const rel of walk(dir)) {
      if (leftOut(rel)) continue;
      const from = path.join(dir, rel);
      const to = path.join(target, name, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (rel.endsWith('.js')) {
        fs.writeFileSync(to, fs.readFileSync(from, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/gm, ''));
      } else {
        try {
          fs.linkSync(from, to);
        } catch {
          fs.copyFileSync(from, to);
        } // native libraries: no second copy on disk
      }
      files++;
    }
  }
  return files;
}

export async function bundle() {
  fs.rmSync(path.join(root, OUT_DIR), { recursive: true, force: true });
  vendor();
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, path.join(root, src)])),
    outdir: path.join(root, OUT_DIR),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18', // VS Code 1.90 (engines.vscode) runs extensions on Node 18
    external: EXTERNAL,
    mainFields: ['module', 'main'], // jsonc-parser's "main" is a UMD build whose require()s esbuild cannot follow
    minify: true,
    keepNames: true, // error names and class names stay readable in messages
    sourcemap: false, // no maps are shipped, so no sourceMappingURL comments either
    legalComments: 'eof', // licence notices of inlined packages are kept
    // When the bundle started loading, so that activation can report how long loading its code took
    banner: { js: '"use strict";globalThis.__reclensLoadStart ??= performance.now();' }, // "use strict" first: it must stay the directive
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bundle();
