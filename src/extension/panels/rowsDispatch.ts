/**
 * The Rows panel's answers to the webview, without VS Code: the panel host and the Chromium tests use the same
 * code, so what a test sees is what the editor does. Callers pass messages that isRowsToHost accepted.
 */
import { RecLensError } from '../../engine/errors';
import type { RowsSession } from '../../engine/rows/session';
import type { HostToRows, RowsInfo, RowsToHost } from '../../protocol/rows';

export async function answerRowsMessage(
  s: RowsSession,
  info: RowsInfo,
  m: RowsToHost,
  post: (msg: HostToRows) => void,
): Promise<void> {
  const requestId = 'requestId' in m ? m.requestId : undefined;
  try {
    switch (m.type) {
      case 'page':
        post({ type: 'page', requestId: m.requestId, page: await s.page(m.query) });
        break;
      case 'select': {
        const scored = await s.scoreEdited(m.index, m.edits);
        post({
          type: 'detail',
          requestId: m.requestId,
          detail: {
            view: s.view(m.index),
            edits: m.edits,
            slots: s.detail(m.index, m.edits),
            ...scored,
            occlusion: await s.occlusion(m.index),
          },
        });
        break;
      }
      case 'score': {
        const t0 = performance.now();
        const scored = await s.scoreEdited(m.index, m.edits);
        post({
          type: 'scored',
          requestId: m.requestId,
          index: m.index,
          edits: m.edits,
          ...scored,
          slots: s.detail(m.index, m.edits),
          millis: performance.now() - t0,
        });
        break;
      }
      case 'flip':
        post({ type: 'flip', requestId: m.requestId, result: await s.flip(m.index, m.edits, info.threshold) });
        break;
      case 'searchItems':
        post({ type: 'items', requestId: m.requestId, items: s.searchItems(m.text) });
        break;
      case 'userRow':
        post({ type: 'userRow', requestId: m.requestId, user: m.user, row: s.rowsOf('user', m.user)[0] ?? null });
        break;
      case 'saveCounterfactuals': {
        const file = await s.saveCounterfactuals(m.name, m.rows);
        post({ type: 'saved', name: m.name, file, counterfactuals: s.listCounterfactuals() });
        break;
      }
      case 'rescore': {
        const r = await s.rescoreCounterfactuals(m.name);
        post({
          type: 'rescored',
          name: m.name,
          modelChanged: r.modelChanged,
          rows: r.rows.map((x) => ({ index: x.index, prob: x.prob, now: x.now, stale: x.stale })),
        });
        break;
      }
      default:
        break;
    }
  } catch (e) {
    post({
      type: 'error',
      requestId,
      message: e instanceof RecLensError ? e.message : `RecLens: ${(e as Error).message}`,
    });
  }
}

/** What the panel tells the webview on start. */
export async function rowsInfo(s: RowsSession, title: string): Promise<RowsInfo> {
  const { WRONGNESS } = await import('../../engine/rows/types');
  const slots = s.config.slots.length
    ? s.config.slots.map((x) => ({ name: x.name, description: x.description }))
    : s.slotNames().map((name) => ({ name }));
  return {
    title,
    configFile: s.config.file,
    rows: s.rows,
    slots,
    slices: await s.sliceNames(),
    measure: WRONGNESS,
    threshold: 0.5,
    counterfactuals: s.listCounterfactuals(),
  };
}
