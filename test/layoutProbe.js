/**
 * The layout probe of the result panels, evaluated inside the page (Playwright serialises the function, so it uses
 * nothing from outside itself): by test/panelLayout.test.ts in the Chromium harness and by test/e2e/tourCheck.mjs
 * inside code-server's webviews. One copy, so the two checks cannot drift apart.
 *
 * Returns three lists of problems, each a sentence naming the cell or the labels:
 *  - clipped: table cells whose content is cut (wider than the cell, or past the edge of a box that clips and does
 *    not scroll sideways to the cell, or past the panel's edge when the body hides overflow);
 *  - overlapping: pairs of tick labels of one chart whose boxes overlap, within one axis and across the axes of one
 *    chart (small multiples side by side, where one cell's last label can run into the next cell's first);
 *  - sideways: tables wider than the box they scroll in (their right-hand columns are out of sight until scrolled).
 * Cells and labels that are not shown (another tab) are skipped.
 */
'use strict';

function layoutProbe() {
  const clipped = [];
  for (const cell of Array.from(document.querySelectorAll('td, th'))) {
    if (!cell.getClientRects().length) continue; // not shown (another tab)
    const text = (cell.textContent ?? '').trim().slice(0, 40);
    if (cell.scrollWidth > cell.clientWidth + 1)
      clipped.push(`"${text}": content ${cell.scrollWidth}px in a ${cell.clientWidth}px cell`);
    const r = cell.getBoundingClientRect();
    let container = null;
    for (let p = cell.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') {
        container = p;
        break;
      }
    if (container) {
      // Inside a box that clips: fine only if that box scrolls sideways to the cell.
      const style = getComputedStyle(container);
      const box = container.getBoundingClientRect();
      const scrolls =
        (style.overflowX === 'auto' || style.overflowX === 'scroll') &&
        container.scrollWidth >= container.scrollLeft + r.right - box.left - 1;
      if (r.right > box.right + 1 && !scrolls)
        clipped.push(
          `"${text}": cut at ${Math.round(box.right)}px by ${container.tagName.toLowerCase()}.${container.className}`,
        );
    } else if (
      r.right > document.documentElement.clientWidth + 1 &&
      getComputedStyle(document.body).overflowX === 'hidden'
    ) {
      clipped.push(`"${text}": past the panel's edge`);
    }
  }

  const overlapping = [];
  for (const chart of Array.from(document.querySelectorAll('svg')).filter((svg) =>
    svg.querySelector('.axis .tick text'),
  )) {
    const boxes = Array.from(chart.querySelectorAll('.axis .tick text'))
      .filter((t) => (t.textContent ?? '') !== '')
      .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }))
      .filter((b) => b.r.width > 0);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r,
          b = boxes[j].r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          overlapping.push(`${chart.getAttribute('class')}: "${boxes[i].text}" overlaps "${boxes[j].text}"`);
      }
  }

  const sideways = [];
  for (const table of Array.from(document.querySelectorAll('table'))) {
    if (!table.getClientRects().length) continue;
    for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX === 'visible') continue;
      if (p.scrollWidth > p.clientWidth + 1)
        sideways.push(
          `"${(table.querySelector('caption')?.textContent ?? table.className).slice(0, 60)}": ${p.scrollWidth}px in a ${p.clientWidth}px box`,
        );
      break;
    }
  }
  return { clipped, overlapping, sideways };
}

module.exports = { layoutProbe };
