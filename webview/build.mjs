// Bundles the webview code (browser, IIFE) into out/webview/. Replaced by the full build as panels are added.
import { build } from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.dirname(fileURLToPath(import.meta.url));
const entries = fs.existsSync(path.join(root, 'embedding', 'main.ts')) ? { embedding: path.join(root, 'embedding', 'main.ts') } : {};
if (Object.keys(entries).length) {
  await build({ entryPoints: entries, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outdir: path.join(root, '..', 'out', 'webview'), minify: true, sourcemap: false, logLevel: 'warning' });
}
