// Bundles each webview panel (webview/<panel>/main.ts, browser, IIFE) into out/webview/<panel>.js.
import { build } from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.dirname(fileURLToPath(import.meta.url));
const entries = Object.fromEntries(
  fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'main.ts')))
    .map((d) => [d.name, path.join(root, d.name, 'main.ts')]),
);
if (Object.keys(entries).length) {
  await build({ entryPoints: entries, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outdir: path.join(root, '..', 'out', 'webview'), minify: true, sourcemap: false, logLevel: 'warning' });
}
