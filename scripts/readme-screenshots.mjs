// Makes the README's screenshots (media/screenshots/*.png, 800 px wide) from the webview test harness's full-size
// shots in test-results/ (written by `npm test`: test/resultPanels.test.ts, test/embeddingPanel.test.ts), scaled
// down in Debian's chromium so the .vsix stays small.   node scripts/readme-screenshots.mjs [source folder]
import { createRequire } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.resolve(process.argv[2] ?? path.join(root, 'test-results'));
const target = path.join(root, 'media', 'screenshots');
/** README name <- harness shot */
const SHOTS = {
  'feature-impact.png': 'feature-impact.png',
  'embedding-space.png': 'embedding-panel-dark.png',
  'lis.png': 'lis-panel.png',
  'run-comparison.png': 'run-comparison.png',
};
const WIDTH = 800;

const { chromium } = require('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
const page = await browser.newPage();
fs.mkdirSync(target, { recursive: true });
for (const [name, from] of Object.entries(SHOTS)) {
  const png = fs.readFileSync(path.join(source, from));
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  const height = Math.round((h * WIDTH) / w);
  await page.setViewportSize({ width: WIDTH, height });
  await page.setContent(
    `<body style="margin:0"><img style="display:block;width:${WIDTH}px;height:${height}px" src="data:image/png;base64,${png.toString('base64')}"></body>`,
  );
  await page.screenshot({ path: path.join(target, name), clip: { x: 0, y: 0, width: WIDTH, height } });
  console.log(`${name}: ${from} ${w}x${h} -> ${WIDTH}x${height}, ${fs.statSync(path.join(target, name)).size} bytes`);
}
await browser.close();
