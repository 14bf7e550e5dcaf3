// e2e step: "RecLens: Show Output" from the palette, as a user runs it after the walk's runs (tourCheck.mjs): the
// Output panel opens on the RecLens channel, and its visible lines are the runs' log (the newest at the bottom: the
// panel follows the end). Called by codeServer.mjs after tourCheck.
import path from 'node:path';

/** The Output panel as a person sees it: the channel picked in its header and the text of its visible lines. */
function readOutputPanel(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('.part.panel');
    if (!panel || !panel.checkVisibility?.()) return undefined;
    const channel = [...panel.querySelectorAll('select')]
      .map((s) => s.options[s.selectedIndex]?.text ?? '')
      .find((t) => t.trim());
    const lines = [...panel.querySelectorAll('.view-lines .view-line')].map((l) => l.textContent ?? '');
    return { channel: channel ?? '', lines };
  });
}

// The walk's last runs logged "  <summary>; <s> s; record <folder>/.reclens/runs/<id>.json". The panel wraps long
// lines and indents what it wraps (anywhere in the path), so the visible lines are read joined, without white space.
const RUN_LOGGED = /;record[^;]*?\.reclens\/runs\/[^/]+?\.json/;
const runLogged = (lines) => RUN_LOGGED.test(lines.join('').replace(/\s+/g, ''));

export async function outputCheck(page, problems, h) {
  await page.keyboard.press('Escape');
  await h.runFromPalette(page, 'RecLens: Show Output');
  const deadline = Date.now() + h.UI_TIMEOUT_MS;
  let seen;
  while (Date.now() < deadline) {
    seen = await readOutputPanel(page).catch(() => undefined);
    if (seen && runLogged(seen.lines)) break;
    await h.sleep(500);
  }
  h.log(
    `  Output panel: channel ${JSON.stringify(seen?.channel)}, ${seen?.lines.length ?? 0} visible lines, last ${JSON.stringify(seen?.lines.at(-1))}`,
  );
  await h.screenshot(page, path.join(h.RESULTS, 'e2e-output.png'));
  if (!seen) problems.push('RecLens: Show Output did not show the panel');
  else {
    if (!/RecLens/.test(seen.channel)) problems.push(`the Output panel shows channel "${seen.channel}", not RecLens`);
    if (!runLogged(seen.lines))
      problems.push(`the Output panel does not show the runs' log lines: ${JSON.stringify(seen.lines.slice(-6))}`);
  }
}
