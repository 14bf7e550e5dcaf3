/**
 * The row What-If pane: the row's score and label, its occlusion waterfall, and an editor per slot (take the slot
 * from another item found by label, or from another user's row; type a number; toggle a multi-hot position).
 * Every edit is sent to the host, which scores the edited row with the model at once; the smallest flipping
 * change and counterfactual sets are one click away.
 */
import type { FlipResult, RowDetail, RowEdit, RowsInfo, SlotDetail } from '../../src/protocol/rows';
import { element, note } from '../shared/dom';
import { renderWaterfall } from './waterfall';

export interface WhatIfHost {
  score(edits: RowEdit[]): void;
  flip(edits: RowEdit[]): void;
  searchItems(text: string, reply: (items: { item: string; label: string | null; row: number }[]) => void): void;
  userRow(user: string, reply: (row: number | null) => void): void;
  save(name: string, edits: RowEdit[]): void;
  rescore(name: string): void;
  revealSlot(slot: string): void;
  editsChanged(edits: RowEdit[]): void;
}

const fmt = (x: number) => x.toFixed(4);

/** Adds an edit, dropping the earlier ones it overrides. */
export function addEdit(edits: RowEdit[], edit: RowEdit, slotInputs: (slot: string) => string[]): RowEdit[] {
  if (edit.kind === 'fromRow') {
    const inputs = slotInputs(edit.slot);
    return [
      ...edits.filter(
        (e) => !(e.kind === 'fromRow' && e.slot === edit.slot) && !(e.kind === 'value' && inputs.includes(e.input)),
      ),
      edit,
    ];
  }
  return [...edits.filter((e) => !(e.kind === 'value' && e.input === edit.input && e.offset === edit.offset)), edit];
}

export class WhatIfPane {
  readonly element = element('section', 'whatif');
  private detail: RowDetail | undefined;
  private edits: RowEdit[] = [];
  private readonly scoreLine = element('p', 'whatif-score');
  private readonly slotsBox = element('div', 'whatif-slots');
  private readonly flipBox = element('div', 'whatif-flip');
  private readonly cfBox = element('div', 'whatif-counterfactuals');

  constructor(
    private readonly host: WhatIfHost,
    private info: RowsInfo,
  ) {
    this.element.setAttribute('aria-label', 'Row What-If');
    this.element.append(note("Pick a row to see its score, each slot's attribution and to edit it."));
  }

  setInfo(info: RowsInfo): void {
    this.info = info;
  }

  show(detail: RowDetail): void {
    this.detail = detail;
    this.edits = detail.edits;
    const v = detail.view;
    const head = element(
      'h2',
      'whatif-title',
      `Row ${v.index}: user ${v.user ?? 'n/a'}, item ${v.item ?? 'n/a'}${v.itemLabel ? ` "${v.itemLabel}"` : ''}`,
    );
    const facts = element(
      'p',
      'whatif-facts',
      `label ${v.label} · model probability ${fmt(v.prob)} · per-row LogLoss ${v.loss.toFixed(3)} · history ${v.historyLength ?? 'n/a'}`,
    );
    const water = element('div', 'whatif-waterfall');
    water.append(
      element('h3', undefined, 'Occlusion (probability): each slot masked, and taken from other rows'),
      renderWaterfall(detail.occlusion),
      note(
        `Effect = probability minus probability with the slot masked to its neutral value. Whiskers: the slot taken from ${detail.occlusion.k} other rows (seed ${detail.occlusion.seed}).`,
      ),
    );
    const actions = element('div', 'toolbar');
    const flip = element('button', 'button', 'Find smallest flip');
    flip.type = 'button';
    flip.addEventListener('click', () => {
      this.flipBox.replaceChildren(note('Searching…'));
      this.host.flip(this.edits);
    });
    const reset = element('button', 'button', 'Reset edits');
    reset.type = 'button';
    reset.addEventListener('click', () => this.apply([]));
    const name = element('input', 'cf-name');
    name.placeholder = 'counterfactual set name';
    name.setAttribute('aria-label', 'Counterfactual set name');
    name.maxLength = 64;
    const save = element('button', 'button', 'Save edited row');
    save.type = 'button';
    save.addEventListener('click', () => {
      if (name.value.trim()) this.host.save(name.value.trim(), this.edits);
    });
    actions.append(flip, reset, name, save);
    this.element.replaceChildren(
      head,
      facts,
      this.scoreLine,
      actions,
      this.flipBox,
      water,
      element('h3', undefined, 'Edit slots'),
      this.slotsBox,
      this.cfBox,
    );
    this.renderScore(detail.prob, null);
    this.renderSlots(detail.slots);
    this.renderCounterfactuals();
  }

  get current(): { index: number; edits: RowEdit[] } | undefined {
    return this.detail ? { index: this.detail.view.index, edits: this.edits } : undefined;
  }

  private apply(edits: RowEdit[]): void {
    this.edits = edits;
    this.host.editsChanged(edits);
    this.scoreLine.classList.add('pending');
    this.host.score(edits);
  }

  scored(prob: number, slots: SlotDetail[], millis: number, edits: RowEdit[]): void {
    if (JSON.stringify(edits) !== JSON.stringify(this.edits)) return; // a later edit is on its way
    this.scoreLine.classList.remove('pending');
    this.renderScore(prob, millis);
    this.renderSlots(slots);
  }

  private renderScore(prob: number, millis: number | null): void {
    const d = this.detail!;
    const original = d.view.prob;
    this.scoreLine.replaceChildren();
    this.scoreLine.dataset.prob = String(prob);
    const edited = this.edits.length > 0;
    const crosses = prob >= this.info.threshold !== original >= this.info.threshold;
    this.scoreLine.append(
      element('strong', 'whatif-prob', fmt(prob)),
      document.createTextNode(
        edited
          ? ` with ${this.edits.length} edit${this.edits.length === 1 ? '' : 's'} (was ${fmt(original)}${crosses ? `; crosses ${this.info.threshold}` : ''})`
          : ` probability (label ${d.view.label})`,
      ),
    );
    if (millis !== null) this.scoreLine.append(element('span', 'muted', ` · scored in ${millis.toFixed(1)} ms`));
  }

  private slotInputs = (slot: string) =>
    this.detail?.slots.find((s) => s.slot === slot)?.inputs.map((i) => i.input) ?? [];

  private renderSlots(slots: SlotDetail[]): void {
    this.slotsBox.replaceChildren(...slots.map((s) => this.slotEditor(s)));
  }

  private slotEditor(s: SlotDetail): HTMLElement {
    const box = element('div', 'slot-editor');
    box.dataset.slot = s.slot;
    const title = element('div', 'slot-title');
    const reveal = element('button', 'link-button', s.slot);
    reveal.type = 'button';
    reveal.title = 'Reveal this slot in reclens.json';
    reveal.addEventListener('click', () => this.host.revealSlot(s.slot));
    title.append(reveal, element('span', 'slot-text', s.text));
    if (
      this.edits.some(
        (e) =>
          (e.kind === 'fromRow' && e.slot === s.slot) ||
          (e.kind === 'value' && s.inputs.some((i) => i.input === e.input)),
      )
    )
      title.append(element('span', 'edited-badge', 'edited'));
    box.append(title);
    const controls = element('div', 'slot-controls');
    // From another item (search by label) or another user's row.
    const itemSearch = element('input', 'item-search');
    itemSearch.placeholder = 'another item: search by title or id';
    itemSearch.setAttribute('aria-label', `Take ${s.slot} from another item`);
    const results = element('div', 'item-results');
    itemSearch.addEventListener('input', () => {
      const text = itemSearch.value;
      if (text.trim().length < 2) {
        results.replaceChildren();
        return;
      }
      this.host.searchItems(text, (items) => {
        if (itemSearch.value !== text) return;
        results.replaceChildren(
          ...items.slice(0, 8).map((it) => {
            const b = element('button', 'item-choice', it.label ? `${it.label} (${it.item})` : it.item);
            b.type = 'button';
            b.addEventListener('click', () => {
              results.replaceChildren();
              itemSearch.value = '';
              this.apply(addEdit(this.edits, { kind: 'fromRow', slot: s.slot, source: it.row }, this.slotInputs));
            });
            return b;
          }),
        );
      });
    });
    const user = element('input', 'user-input');
    user.placeholder = 'another user id';
    user.setAttribute('aria-label', `Take ${s.slot} from another user's row`);
    user.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !user.value.trim()) return;
      this.host.userRow(user.value.trim(), (row) => {
        if (row === null) {
          user.setCustomValidity('No row of that user');
          user.reportValidity();
          return;
        }
        user.setCustomValidity('');
        this.apply(addEdit(this.edits, { kind: 'fromRow', slot: s.slot, source: row }, this.slotInputs));
      });
    });
    controls.append(itemSearch, user);
    box.append(controls, results);
    for (const inp of s.inputs) {
      if (inp.multiHot) {
        const hot = element('div', 'multi-hot');
        hot.setAttribute('role', 'group');
        hot.setAttribute('aria-label', `${inp.input} positions`);
        inp.values.forEach((v, j) => {
          const label = element('label', 'hot-toggle');
          const cb = element('input');
          cb.type = 'checkbox';
          cb.checked = v === 1;
          cb.dataset.input = inp.input;
          cb.dataset.offset = String(j);
          cb.addEventListener('change', () =>
            this.apply(
              addEdit(
                this.edits,
                { kind: 'value', input: inp.input, offset: j, value: cb.checked ? 1 : 0 },
                this.slotInputs,
              ),
            ),
          );
          label.append(cb, document.createTextNode(String(j)));
          hot.append(label);
        });
        box.append(hot);
      } else if (inp.width <= 8) {
        const nums = element('div', 'numeric-inputs');
        inp.values.forEach((v, j) => {
          const field = element('input', 'numeric-input');
          field.type = 'number';
          field.step = 'any';
          field.value = String(v);
          field.dataset.input = inp.input;
          field.dataset.offset = String(j);
          field.setAttribute('aria-label', `${inp.input}[${j}]`);
          field.addEventListener('change', () => {
            const x = Number(field.value);
            if (field.value.trim() === '' || !Number.isFinite(x)) return;
            this.apply(addEdit(this.edits, { kind: 'value', input: inp.input, offset: j, value: x }, this.slotInputs));
          });
          nums.append(field);
        });
        box.append(nums);
      }
    }
    return box;
  }

  showFlip(r: FlipResult): void {
    this.flipBox.replaceChildren();
    if (!r.best) {
      this.flipBox.append(
        note(
          `No single-slot change among ${r.candidatesPerSlot} candidates per slot moves the probability across ${r.threshold}.`,
        ),
      );
      return;
    }
    const list = element('ul', 'flip-list');
    for (const c of r.perSlot) {
      const li = element(
        'li',
        undefined,
        `${c.slot} → ${c.text}: ${fmt(c.prob)} (relative change ${c.relativeChange.toFixed(2)})`,
      );
      if (c.source !== 'neutral') {
        const apply = element('button', 'link-button', 'apply');
        apply.type = 'button';
        const source = c.source;
        apply.addEventListener('click', () =>
          this.apply(addEdit(this.edits, { kind: 'fromRow', slot: c.slot, source }, this.slotInputs)),
        );
        li.append(document.createTextNode(' '), apply);
      }
      list.append(li);
    }
    this.flipBox.append(
      element(
        'p',
        'flip-best',
        `Smallest flip: ${r.best.slot} → ${r.best.text} gives ${fmt(r.best.prob)} (threshold ${r.threshold}).`,
      ),
      list,
    );
  }

  renderCounterfactuals(extra?: HTMLElement): void {
    this.cfBox.replaceChildren(element('h3', undefined, 'Counterfactual sets'));
    if (!this.info.counterfactuals.length) this.cfBox.append(note('None saved yet: edit a row, name a set and save.'));
    for (const name of this.info.counterfactuals) {
      const row = element('div', 'cf-row');
      const b = element('button', 'link-button', 'Re-score');
      b.type = 'button';
      b.addEventListener('click', () => this.host.rescore(name));
      row.append(element('span', undefined, name), document.createTextNode(' '), b);
      this.cfBox.append(row);
    }
    if (extra) this.cfBox.append(extra);
  }
}
