// e2e step (issue 17): from the palette to the rows explorer, to a slice, to the worst row's What-If, and back to
// the slot in reclens.json, as a person would; screenshots in test-results/. Called by codeServer.mjs's UI check.
import path from 'node:path';

/**
 * `h` carries codeServer.mjs's helpers: runFromPalette, webviewFrame, screenshot, sleep, log, RESULTS, UI_TIMEOUT_MS.
 * Problems are pushed to `problems` (the caller fails the check on any).
 */
export async function rowsCheck(page, problems, h) {
  await page.keyboard.press('Escape');
  await h.runFromPalette(page, 'RecLens: Show Rows Explorer');
  const quickPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  if (await quickPick.isVisible().catch(() => false)) await page.keyboard.press('Enter');
  const found = await h.webviewFrame(page, (t) => /of 20,167 rows/.test(t), h.UI_TIMEOUT_MS);
  if (!found) {
    problems.push('the Rows explorer never listed the 20,167 evaluation rows');
    await h.screenshot(page, path.join(h.RESULTS, 'e2e-rows-failure.png'));
    return;
  }
  const { frame } = found;
  h.log('  Rows explorer lists the 20,167 rows, most wrong first');
  await h.screenshot(page, path.join(h.RESULTS, 'e2e-rows.png'));
  // The slice the evaluation flagged on this example (users of middling activity), then its worst row.
  const slice = 'auto:user-activity=warm';
  await frame
    .selectOption('.slice-select', slice)
    .catch((e) => problems.push(`no slice ${slice} in the rows explorer: ${e.message.split('\n')[0]}`));
  const narrowed = await frame
    .waitForFunction(
      () => /^([\d,]+) of 20,167/.exec(document.querySelector('.count')?.textContent ?? '')?.[1] !== '20,167',
      undefined,
      { timeout: h.UI_TIMEOUT_MS },
    )
    .then(
      () => true,
      () => false,
    );
  if (!narrowed) {
    problems.push(`choosing slice ${slice} did not narrow the rows`);
    return;
  }
  h.log(`  slice ${slice}: ${(await frame.locator('.count').textContent())?.trim()}`);
  await frame.locator('.virtual-list .row-item[data-index]').first().click();
  const waterfall = await frame.waitForSelector('.whatif .waterfall', { timeout: h.UI_TIMEOUT_MS }).then(
    () => true,
    () => false,
  );
  if (!waterfall) {
    problems.push('selecting the worst row showed no occlusion waterfall');
    return;
  }
  const top = await frame
    .locator('.waterfall .waterfall-step[data-slot]')
    .evaluateAll(
      (els) => els.map((e) => e.getAttribute('data-slot')).filter((s) => s !== 'base' && s !== 'interaction')[0],
    );
  h.log(
    `  worst row: ${(await frame.locator('.whatif-title').textContent())?.trim()}; largest occlusion effect: ${top}`,
  );
  await h.sleep(500);
  await h.screenshot(page, path.join(h.RESULTS, 'e2e-rows-whatif.png'));
  // Back to the editor: the slot's entry in reclens.json.
  await frame.locator(`.slot-editor[data-slot="${top}"] .slot-title .link-button`).click();
  const editor = page.locator('.monaco-workbench .part.editor .tab.active', { hasText: 'reclens.json' }).first();
  const opened = await editor.waitFor({ state: 'visible', timeout: 15_000 }).then(
    () => true,
    () => false,
  );
  if (!opened) problems.push('the slot link did not open reclens.json');
  else h.log(`  back in the editor at slot "${top}" of reclens.json`);
  await h.sleep(800);
  await h.screenshot(page, path.join(h.RESULTS, 'e2e-rows-back-to-config.png'));
}
