// e2e step: "RecLens: Choose Config for Features" from the palette with two configs in the workspace and none open in
// the editor: the command asks with a quick pick, and the Features view follows the pick (its header names the
// config, its rows are that config's slots); then back to reclens.json the same way. (The path that is given a config,
// a tree item or the open editor's, is in the extension suite.) Called by codeServer.mjs after outputCheck.
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closeJsonEditors, showFeaturesView } from './tourCheck.mjs';

/** The Features pane as a person sees it: its header's description (the config) and its rows' slot names. */
function readFeaturesPane(page) {
  return page.evaluate(() => {
    const pane = [...document.querySelectorAll('.part.sidebar .pane')].find((p) =>
      /Features/i.test(p.querySelector('.pane-header')?.textContent ?? ''),
    );
    const header = pane?.querySelector('.pane-header');
    const title = (header?.querySelector('.title')?.textContent ?? 'Features').trim();
    // The view's description stands beside its title (".description"; else what the header says after the title).
    const description = (
      header?.querySelector('.description')?.textContent ?? (header?.textContent ?? '').trim().slice(title.length)
    ).trim();
    const slots = [...(pane?.querySelectorAll('.monaco-list-row .label-name') ?? [])].map((l) =>
      (l.textContent ?? '').trim(),
    );
    return { description, slots };
  });
}

/** Runs the command, waits for its quick pick, and picks the row whose label is exactly `label`; returns the labels. */
async function chooseInQuickPick(page, h, label) {
  await page.keyboard.press('Escape');
  await h.runFromPalette(page, 'RecLens: Choose Config for Features');
  await page
    .locator('.quick-input-widget .quick-input-box input[placeholder="Which RecLens config?"]')
    .waitFor({ state: 'visible', timeout: 15_000 });
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  const labels = (
    await rows.evaluateAll((rs) => rs.map((r) => (r.querySelector('.label-name') ?? r).textContent ?? ''))
  ).map((l) => l.trim());
  h.log(`  quick pick: ${labels.map((l) => JSON.stringify(l)).join(', ')}`);
  const at = labels.indexOf(label);
  if (at < 0) throw new Error(`the quick pick has no row "${label}": ${JSON.stringify(labels)}`);
  await rows.nth(at).click();
  return labels;
}

/** Waits until the Features pane names `config` in its header and lists `slots`; returns what it showed last. */
async function waitForPane(page, h, config, slots) {
  const deadline = Date.now() + h.UI_TIMEOUT_MS;
  let seen;
  while (Date.now() < deadline) {
    seen = await readFeaturesPane(page).catch(() => undefined);
    if (seen?.description === config && JSON.stringify(seen.slots) === JSON.stringify(slots)) return { ok: true, seen };
    await h.sleep(500);
  }
  return { ok: false, seen };
}

export async function featuresConfigCheck(page, problems, h, folder) {
  const main = path.join(folder, 'reclens.json');
  const second = path.join(folder, 'second.reclens.json');
  // The same model and data with two slots of its own.
  writeFileSync(
    second,
    readFileSync(main, 'utf8').replace(
      /"slots": \{[\s\S]*?\n {2}\},/,
      '"slots": { "ids": { "inputs": ["user_id", "item_id"] }, "content": { "inputs": ["item_content", "user_history"] } },',
    ),
  );
  try {
    await page.keyboard.press('Escape');
    await closeJsonEditors(page, h);
    await showFeaturesView(page);
    const before = await readFeaturesPane(page);
    h.log(`  Features view before: ${JSON.stringify(before)}`);

    const listed = await chooseInQuickPick(page, h, 'second.reclens.json');
    if (!(listed.includes('reclens.json') && listed.includes('second.reclens.json')))
      problems.push(`the quick pick did not list both configs: ${JSON.stringify(listed)}`);
    const picked = await waitForPane(page, h, 'second.reclens.json', ['ids', 'content']);
    h.log(`  Features view after picking second.reclens.json: ${JSON.stringify(picked.seen)}`);
    await h.screenshot(page, path.join(h.RESULTS, 'e2e-features-config.png'));
    if (!picked.ok)
      problems.push(
        `after picking second.reclens.json the Features view showed ${JSON.stringify(picked.seen)}, not its slots ids, content`,
      );

    await chooseInQuickPick(page, h, 'reclens.json');
    const six = ['user_id', 'item_id', 'genres', 'item_content', 'user_history', 'numeric'];
    const back = await waitForPane(page, h, 'reclens.json', six);
    h.log(`  Features view after picking reclens.json: ${JSON.stringify(back.seen)}`);
    if (!back.ok)
      problems.push(
        `after picking reclens.json the Features view showed ${JSON.stringify(back.seen)}, not its six slots`,
      );
  } finally {
    await page.keyboard.press('Escape').catch(() => {});
    rmSync(second, { force: true });
  }
}
