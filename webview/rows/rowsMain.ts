/**
 * Entry of the Rows explorer webview: a toolbar (sort, slice, search), a virtualised list of rows most wrong
 * first (pages requested from the host), and the What-If pane for the selected row. UI state (query, scroll,
 * selected row and its edits) is saved with the host, so the panel comes back as it was after hide/show.
 */
import '../shared/cspNonce';
import type { RowEdit, RowQuery, RowSort, RowView } from '../../src/protocol/rows';
import { HostToRows, isHostToRows, RowsInfo, RowsToHost } from '../../src/protocol/rows';
import { element, note } from '../shared/dom';
import { connectToHost } from '../shared/hostChannel';
import { UiStateStore } from '../shared/uiStateStore';
import { PAGE, VirtualList } from './virtualList';
import { WhatIfPane } from './whatIf';

interface RowsUiState {
  query?: Omit<RowQuery, 'offset' | 'limit'>;
  scrollTop?: number;
  selected?: number;
  edits?: RowEdit[];
}

const host = connectToHost<RowsToHost, HostToRows, RowsUiState>({
  isHostMessage: isHostToRows,
  asUiState: (v) => (typeof v === 'object' && v !== null ? (v as RowsUiState) : {}),
});
const store = new UiStateStore<RowsUiState>(host);
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const status = element('p', 'status', 'Scoring rows…');
root.append(status);

let nextId = 1;
const replies = new Map<number, (m: HostToRows) => void>();
function request(make: (requestId: number) => RowsToHost, reply?: (m: HostToRows) => void): number {
  const requestId = nextId++;
  if (reply) replies.set(requestId, reply);
  host.post(make(requestId));
  return requestId;
}

let info: RowsInfo | undefined;
let list: VirtualList | undefined;
let pane: WhatIfPane | undefined;
let queryVersion = 0;
let countLine: HTMLElement | undefined;

function query(): Omit<RowQuery, 'offset' | 'limit'> {
  return store.current.query ?? { sort: 'loss', descending: true };
}

function renderRow(r: RowView, position: number): HTMLElement {
  const el = element('div', `row-item label-${r.label}`);
  el.setAttribute('role', 'option');
  el.dataset.index = String(r.index);
  el.append(
    element('span', 'cell pos', String(position + 1)),
    element('span', 'cell prob', r.prob.toFixed(3)),
    element('span', 'cell label', `y=${r.label}`),
    element('span', 'cell loss', r.loss.toFixed(2)),
    element('span', 'cell user', r.user ?? ''),
    element('span', 'cell item', r.itemLabel ?? r.item ?? ''),
    element('span', 'cell hist', r.historyLength === null ? '' : String(r.historyLength)),
    element('span', 'cell slots', r.slots.map((s) => `${s.slot}: ${s.text}`).join(' · ')),
  );
  el.title = `Row ${r.index}: ${r.slots.map((s) => `${s.slot} = ${s.text}`).join('\n')}`;
  el.addEventListener('click', () => select(r.index, []));
  return el;
}

function select(index: number, edits: RowEdit[]): void {
  store.update({ selected: index, edits });
  if (list) {
    list.selected = index;
    list.render();
  }
  request(
    (requestId) => ({ type: 'select', requestId, index, edits }),
    (m) => {
      if (m.type === 'detail') pane?.show(m.detail);
    },
  );
}

function refreshQuery(keepScroll = false): void {
  const version = ++queryVersion;
  const q = query();
  list?.reset(0, keepScroll ? (store.current.scrollTop ?? 0) : 0);
  request(
    (requestId) => ({ type: 'page', requestId, query: { ...q, offset: 0, limit: PAGE } }),
    (m) => {
      if (m.type !== 'page' || version !== queryVersion) return;
      list!.reset(m.page.total, keepScroll ? (store.current.scrollTop ?? 0) : 0);
      list!.receive(0, m.page.rows, m.page.total);
      if (countLine)
        countLine.textContent = `${m.page.total.toLocaleString('en-US')} of ${info!.rows.toLocaleString('en-US')} rows · ${q.item !== undefined ? `item ${q.item} · ` : ''}${q.sort === 'slot' ? `by |effect of ${q.slot}|` : `by ${q.sort}`}${q.descending ? ', largest first' : ''}`;
    },
  );
}

function build(i: RowsInfo): void {
  info = i;
  if (i.initialQuery) store.update({ query: { ...query(), ...i.initialQuery } as RowsUiState['query'], scrollTop: 0 });
  root.replaceChildren();
  const title = element('h1', 'title', i.title);
  const measure = note(`Most wrong first: ${i.measure}.`);
  const bar = element('div', 'toolbar rows-toolbar');
  bar.setAttribute('role', 'toolbar');
  const sort = element('select', 'sort-select');
  sort.setAttribute('aria-label', 'Sort rows by');
  const options: [string, string][] = [
    ['loss', 'how wrong (per-row LogLoss)'],
    ['score', 'model score'],
    ['label', 'label'],
    ['row', 'data order'],
    ...i.slots.map((s): [string, string] => [`slot:${s.name}`, `effect of ${s.name}`]),
  ];
  for (const [value, label] of options) {
    const o = element('option', undefined, label);
    o.value = value;
    sort.append(o);
  }
  const q = query();
  sort.value = q.sort === 'slot' ? `slot:${q.slot}` : q.sort;
  const desc = element('input');
  desc.type = 'checkbox';
  desc.checked = q.descending;
  const descLabel = element('label', 'inline');
  descLabel.append(desc, document.createTextNode(' largest first'));
  const slice = element('select', 'slice-select');
  slice.setAttribute('aria-label', 'Slice');
  const all = element('option', undefined, 'all rows');
  all.value = '';
  slice.append(
    all,
    ...i.slices.map((s) => {
      const o = element('option', undefined, s);
      o.value = s;
      return o;
    }),
  );
  slice.value = q.slice ?? '';
  const search = element('input', 'row-search');
  search.type = 'search';
  search.placeholder = 'search user, item or title';
  search.setAttribute('aria-label', 'Search rows');
  search.value = q.search ?? '';
  const update = () => {
    const [kind, slot] = sort.value.startsWith('slot:') ? ['slot', sort.value.slice(5)] : [sort.value, undefined];
    store.update({
      query: {
        sort: kind as RowSort,
        slot,
        descending: desc.checked,
        slice: slice.value || undefined,
        search: search.value.trim() || undefined,
        item: query().item,
      },
      scrollTop: 0,
    });
    refreshQuery();
  };
  let typing = 0;
  sort.addEventListener('change', update);
  desc.addEventListener('change', update);
  slice.addEventListener('change', update);
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(update, 250);
  });
  bar.append(sort, descLabel, slice, search);
  if (q.item !== undefined) {
    const chip = element('button', 'link-button item-chip', `item ${q.item} ✕`);
    chip.type = 'button';
    chip.title = 'Show the rows of every item';
    chip.addEventListener('click', () => {
      chip.remove();
      store.update({ query: { ...query(), item: undefined }, scrollTop: 0 });
      refreshQuery();
    });
    bar.append(chip);
  }
  countLine = element('p', 'count');
  const header = element('div', 'row-item header');
  for (const [c, t] of [
    ['pos', '#'],
    ['prob', 'p'],
    ['label', 'label'],
    ['loss', 'loss'],
    ['user', 'user'],
    ['item', 'item'],
    ['hist', 'history'],
    ['slots', 'slots'],
  ])
    header.append(element('span', `cell ${c}`, t));
  list = new VirtualList({
    fetch: (offset) => {
      const version = queryVersion;
      request(
        (requestId) => ({ type: 'page', requestId, query: { ...query(), offset, limit: PAGE } }),
        (m) => {
          if (m.type === 'page' && version === queryVersion) list!.receive(m.page.offset, m.page.rows, m.page.total);
        },
      );
    },
    renderRow,
    onScroll: (top) => {
      if (Math.abs((store.current.scrollTop ?? 0) - top) > 1) store.update({ scrollTop: top });
    },
  });
  pane = new WhatIfPane(
    {
      score: (edits) => {
        const cur = pane!.current;
        if (cur) request((requestId) => ({ type: 'score', requestId, index: cur.index, edits }));
      },
      flip: (edits) => {
        const cur = pane!.current;
        if (cur)
          request(
            (requestId) => ({ type: 'flip', requestId, index: cur.index, edits }),
            (m) => {
              if (m.type === 'flip') pane!.showFlip(m.result);
            },
          );
      },
      searchItems: (text, reply) =>
        request(
          (requestId) => ({ type: 'searchItems', requestId, text }),
          (m) => {
            if (m.type === 'items') reply(m.items);
          },
        ),
      userRow: (user, reply) =>
        request(
          (requestId) => ({ type: 'userRow', requestId, user }),
          (m) => {
            if (m.type === 'userRow') reply(m.row);
          },
        ),
      save: (name, edits) => {
        const cur = pane!.current;
        if (cur) host.post({ type: 'saveCounterfactuals', name, rows: [{ index: cur.index, edits }] });
      },
      rescore: (name) => host.post({ type: 'rescore', name }),
      revealSlot: (slot) => host.post({ type: 'revealSlot', slot }),
      editsChanged: (edits) => store.update({ edits }),
    },
    i,
  );
  const layout = element('div', 'rows-layout');
  const left = element('div', 'rows-list');
  left.append(bar, countLine, header, list.element);
  layout.append(left, pane.element);
  root.append(title, measure, layout);
  list.selected = store.current.selected;
  refreshQuery(true);
  if (store.current.selected !== undefined) select(store.current.selected, store.current.edits ?? []);
}

host.onMessage((m) => {
  if ('requestId' in m && m.requestId !== undefined) {
    const reply = replies.get(m.requestId);
    if (reply) {
      replies.delete(m.requestId);
      reply(m);
    }
  }
  switch (m.type) {
    case 'init':
      build(m.info);
      break;
    case 'scored':
      pane?.scored(m.prob, m.slots, m.millis, m.edits);
      break;
    case 'saved':
      if (info) {
        info = { ...info, counterfactuals: m.counterfactuals };
        pane?.setInfo(info);
        pane?.renderCounterfactuals(note(`Saved "${m.name}".`));
      }
      break;
    case 'rescored':
      pane?.renderCounterfactuals(
        element(
          'div',
          'cf-result',
          `${m.name}${m.modelChanged ? ' (model changed since saved)' : ''}: ${m.rows.map((r) => `row ${r.index} ${r.prob.toFixed(4)} → ${r.now === null ? `stale (${r.stale})` : r.now.toFixed(4)}`).join('; ')}`,
        ),
      );
      break;
    case 'progress':
      if (!info) status.textContent = m.message ?? '';
      break;
    case 'error': {
      const e = element('p', 'error', m.message);
      e.setAttribute('role', 'alert');
      (info ? root : status).append(e);
      break;
    }
  }
});
host.post({ type: 'ready' });
