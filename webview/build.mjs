// Bundles each webview (webview/<name>/<name>Main.ts, browser, IIFE) into out/webview/<name>.js.
import { build } from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.dirname(fileURLToPath(import.meta.url));
const entries = Object.fromEntries(
  fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, `${d.name}Main.ts`)))
    .map((d) => [d.name, path.join(root, d.name, `${d.name}Main.ts`)]),
);
const outdir = path.join(root, '..', 'out', 'webview');
// A bundle whose entry was renamed or removed must not linger (out/webview/*.js all go into the .vsix).
fs.rmSync(outdir, { recursive: true, force: true });
if (Object.keys(entries).length) {
  await build({
    entryPoints: entries,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir,
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  });
}
