/**
 * The Embedding Space panel: lays out the toolbar, legend and one pane per view, and links the views by item id
 * (selection, hover, lasso region, search). Each pane's plot only reports gestures; this class decides what they mean.
 */
import type { EmbeddingPanelData, EmbeddingUiState, EmbeddingView } from '../../src/protocol/embedding';
import {
  createButton,
  createDropdown,
  createProgressRing,
  createTextField,
  createToggleButton,
  type Dropdown,
  type TextField,
  type ToggleButton,
} from '../ui/toolkit';
import { colourColumns, colourPoints, defaultColourColumn, type ColouredPoints } from './colourEncoding';
import { composeRegion, renderComposition } from './composition';
import { formatCount } from './format';
import type { HostChannel } from './embeddingChannel';
import { renderLegend } from './legend';
import { neighboursOf, renderNeighbourTable } from './neighbourTable';
import { ScatterPlot } from './scatterPlot';
import { searchView } from './search';
import {
  alignmentFacts,
  anisotropyWarning,
  describeView,
  SIZE_CHANNEL,
  sizeChoices,
  sizeNote,
  sizeValues,
} from './summary';
import { createTextSummary, renderTextSummary } from './textSummary';
import { readTheme, type Theme } from '../shared/theme';
import type { UiStateStore } from '../shared/uiStateStore';
import { panelProblems, viewProblems } from './validate';

interface Pane {
  view: EmbeddingView;
  plot: ScatterPlot;
  idToIndex: Map<string, number>;
  selectionDetails: HTMLElement;
  regionDetails: HTMLElement;
  /** The plot in words (counts, centres, the selection), and the line that announces a new selection. */
  textSummary: { details: HTMLDetailsElement; live: HTMLElement };
  searchMatches: number[];
  /** Neighbour row under the pointer in this pane's table. */
  emphasised?: number;
}

/** A lasso region: drawn in one pane, shown in every pane by id. */
interface Region {
  sourcePane: number;
  ids: Set<string>;
}

const NO_COLOUR = '';
const SEARCH_DELAY_MS = 120;

export class EmbeddingPanel {
  private readonly title: HTMLHeadingElement;
  private readonly alignment: HTMLElement;
  private readonly colourBy: Dropdown;
  private readonly colourLabel: HTMLElement;
  private readonly sizeBy: Dropdown;
  private readonly sizeLabel: HTMLElement;
  private readonly search: TextField;
  private readonly searchStatus: HTMLElement;
  private readonly lassoToggle: ToggleButton;
  private readonly legend: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly viewsContainer: HTMLElement;

  private theme: Theme = readTheme();
  private panes: Pane[] = [];
  private coloured: ColouredPoints | undefined;
  private hoveredId: string | undefined;
  private region: Region | undefined;
  /** Legend category slot highlighted by the user, if any. */
  private highlightedSlot: number | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
    private readonly store: UiStateStore<EmbeddingUiState>,
  ) {
    const header = element('header', 'panel-header');
    this.title = element('h1', 'panel-title');
    this.title.textContent = 'Embedding space';
    this.alignment = element('dl', 'alignment');
    header.append(this.title, this.alignment);

    const toolbar = element('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'Embedding controls');
    const colourLabel = element('span', 'toolbar-label');
    colourLabel.textContent = 'Colour by';
    this.colourBy = createDropdown({ ariaLabel: 'Colour points by', onChange: (value) => this.changeColour(value) });
    // Until the views arrive the list is disabled and its label says why, instead of an empty list.
    colourLabel.textContent = 'Colour by (loading columns…)';
    this.colourBy.element.setAttribute('disabled', '');
    this.colourLabel = colourLabel;
    // Point area: none, the size channel (popularity) or a numeric column; the legend's note follows the choice.
    const sizeLabel = element('span', 'toolbar-label');
    sizeLabel.textContent = 'Size by (loading columns…)';
    this.sizeBy = createDropdown({ ariaLabel: 'Size points by', onChange: (value) => this.changeSize(value) });
    this.sizeBy.element.setAttribute('disabled', '');
    this.sizeBy.element.classList.add('size-by');
    this.sizeLabel = sizeLabel;
    this.search = createTextField({
      placeholder: 'Search id or label',
      ariaLabel: 'Search by id or label',
      onInput: (value) => this.queueSearch(value),
      onEnter: (value) => this.submitSearch(value),
    });
    this.searchStatus = element('span', 'search-status');
    this.searchStatus.setAttribute('role', 'status');
    this.lassoToggle = createToggleButton({
      label: 'Lasso',
      title: 'Drag to draw a region and see its composition (or hold Shift while dragging)',
      onToggle: (on) => this.panes.forEach((p) => p.plot.setLassoMode(on)),
    });
    const resetZoom = createButton({
      label: 'Reset zoom',
      onClick: () => this.panes.forEach((p) => p.plot.resetZoom()),
    });
    const clear = createButton({ label: 'Clear selection', onClick: () => this.clearSelection() });
    toolbar.append(
      colourLabel,
      this.colourBy.element,
      sizeLabel,
      this.sizeBy.element,
      this.search.element,
      this.searchStatus,
      this.lassoToggle.element,
      resetZoom,
      clear,
    );

    this.legend = element('div', 'legend');
    this.banner = element('div', 'banner');
    this.banner.hidden = true;
    this.viewsContainer = element('div', 'views');
    const waiting = element('p', 'placeholder');
    waiting.textContent = 'Waiting for embedding data…';
    this.viewsContainer.appendChild(waiting);
    root.append(header, toolbar, this.legend, this.banner, this.viewsContainer);
  }

  showProgress(message: string): void {
    this.showBanner('progress', message);
  }

  showError(message: string): void {
    this.showBanner('error', message);
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.applyColours();
    this.panes.forEach((p) => p.plot.setTheme(theme));
  }

  showData(data: EmbeddingPanelData): void {
    const problems = panelProblems(data);
    const views = (data.views ?? []).filter((view) => viewProblems(view).length === 0);
    if (problems.length) this.showError(`Some embedding data could not be shown: ${problems.join('; ')}`);
    else this.banner.hidden = true;

    this.title.textContent = data.title;
    this.alignment.replaceChildren(
      ...alignmentFacts(data.alignment).flatMap(([name, value]) => {
        const term = element('dt');
        term.textContent = name;
        const detail = element('dd');
        detail.textContent = value;
        return [term, detail];
      }),
    );

    this.panes.forEach((p) => p.plot.destroy());
    this.viewsContainer.replaceChildren();
    this.coloured = undefined; // the old colouring indexes the old views
    this.panes = views.map((view, v) => this.createPane(view, v));
    this.viewsContainer.classList.toggle('two-views', this.panes.length > 1);
    this.region = undefined;
    this.highlightedSlot = undefined;
    this.hoveredId = undefined;
    if (!this.panes.length) return;

    const state = this.store.current;
    const columns = colourColumns(views);
    const colour =
      state.colourBy !== undefined && (state.colourBy === NO_COLOUR || columns.some((c) => c.name === state.colourBy))
        ? state.colourBy
        : (defaultColourColumn(views) ?? NO_COLOUR);
    this.colourLabel.textContent = 'Colour by';
    this.colourBy.element.removeAttribute('disabled');
    this.colourBy.setOptions(
      [
        { value: NO_COLOUR, label: 'None' },
        ...columns.map((c) => ({
          value: c.name,
          label: `${c.name} (${c.kind === 'category' ? 'category' : 'number'})`,
        })),
      ],
      colour,
    );
    this.store.update({ colourBy: colour });
    const sizes = sizeChoices(views);
    const size =
      state.sizeBy !== undefined && (state.sizeBy === '' || sizes.some((c) => c.value === state.sizeBy))
        ? state.sizeBy
        : (sizes.find((c) => c.value === SIZE_CHANNEL)?.value ?? '');
    this.sizeLabel.textContent = 'Size by';
    this.sizeBy.element.toggleAttribute('disabled', sizes.length === 0);
    this.sizeBy.setOptions([{ value: '', label: 'None' }, ...sizes], size);
    this.store.update({ sizeBy: size });
    this.applySizes();
    this.search.value = state.search ?? '';
    this.runSearch(state.search ?? '');
    state.transform?.forEach((transform, v) => this.panes[v]?.plot.setZoom(transform));
    this.applyColours();
    this.refreshSelection();
  }

  private createPane(view: EmbeddingView, paneIndex: number): Pane {
    const section = element('section', 'view-pane');
    section.setAttribute('aria-label', `${view.table} embedding`);
    const heading = element('h2', 'view-title');
    heading.textContent = view.table;
    const description = element('p', 'view-description');
    description.textContent = describeView(view);
    // Inside the description: the two panes share their rows (a subgrid), so an extra child would misalign them.
    const collapsed = anisotropyWarning(view);
    if (collapsed) {
      const warning = element('span', 'view-warning anisotropy-warning');
      warning.setAttribute('role', 'note');
      warning.textContent = collapsed;
      description.append(warning);
    }
    section.append(heading, description);
    const idToIndex = new Map<string, number>();
    view.ids.forEach((id, i) => idToIndex.set(id, i));
    const plot = new ScatterPlot(
      section,
      view,
      this.theme,
      {
        onHover: (index) => {
          this.hoveredId = index === undefined ? undefined : view.ids[index];
          this.refreshMarkers();
        },
        onSelect: (index) => this.select(index === undefined ? undefined : view.ids[index], paneIndex),
        onOpen: (index) => this.host.post({ type: 'openItem', table: view.table, id: view.ids[index] }),
        onLasso: (indices) => this.setRegion(paneIndex, indices),
        onViewRegion: (indices) => {
          const kept = this.highlightedOnly(paneIndex, indices);
          this.setRegion(paneIndex, kept);
          return kept.length;
        },
        onZoomEnd: () => this.store.update({ transform: this.panes.map((p) => p.plot.zoomState) }),
        onEscape: () => this.clearSelection(),
      },
      { lassoMode: () => this.lassoToggle.pressed },
    );
    plot.setLassoMode(this.lassoToggle.pressed);
    const details = element('div', 'details');
    const selectionDetails = element('div', 'selection-details');
    const regionDetails = element('div', 'region-details');
    details.append(selectionDetails, regionDetails);
    section.appendChild(details);
    const textSummary = createTextSummary(details);
    this.viewsContainer.appendChild(section);
    return { view, plot, idToIndex, selectionDetails, regionDetails, textSummary, searchMatches: [] };
  }

  private changeSize(choice: string): void {
    this.store.update({ sizeBy: choice });
    this.applySizes();
    this.applyColours(); // the legend's note says what the area shows
  }

  /** Point areas in every pane from the Size by choice, on one range so a value gets the same area in both views. */
  private applySizes(): void {
    const { values, domain } = sizeValues(
      this.panes.map((p) => p.view),
      this.store.current.sizeBy ?? '',
    );
    this.panes.forEach((pane, v) => pane.plot.setSizes(values[v], domain));
  }

  private changeColour(column: string): void {
    this.store.update({ colourBy: column });
    this.highlightedSlot = undefined;
    this.applyColours();
    this.refreshSelection();
  }

  /** Recomputes point colours for the chosen column (across all views), the legend and what each plot draws. */
  private applyColours(): void {
    if (!this.panes.length) return;
    const column = this.store.current.colourBy || undefined;
    this.coloured = colourPoints(
      this.panes.map((p) => p.view),
      column,
      this.theme,
    );
    renderLegend(this.legend, this.coloured.encoding, {
      highlighted: this.highlightedSlot,
      onHighlight: (slot) => {
        this.highlightedSlot = slot;
        this.applyColours();
      },
      note: sizeNote(
        this.panes.map((p) => p.view),
        this.store.current.sizeBy ?? SIZE_CHANNEL,
      ),
    });
    this.refreshStyles();
    this.refreshRegion();
    this.refreshSummaries();
  }

  /** Each pane's text alternative: per-category counts and centres, and the selected point with its neighbours. */
  private refreshSummaries(): void {
    const selectedId = this.store.current.selectedId;
    const announcing = selectedId === undefined ? -1 : this.panes.findIndex((pane) => pane.idToIndex.has(selectedId));
    this.panes.forEach((pane, v) =>
      renderTextSummary(pane.textSummary, {
        announce: v === announcing,
        view: pane.view,
        encoding: this.coloured?.encoding,
        paletteIndex: this.coloured?.paletteIndex[v],
        selected: selectedId === undefined ? undefined : pane.idToIndex.get(selectedId),
      }),
    );
  }

  /** Which points are drawn in full colour: search matches, else the highlighted category, else the lasso region. */
  private refreshStyles(): void {
    const coloured = this.coloured;
    if (!coloured) return;
    const searching = (this.store.current.search ?? '').trim() !== '';
    this.panes.forEach((pane, v) => {
      const paletteIndex = coloured.paletteIndex[v];
      let focus: Uint8Array | null = null;
      if (searching) {
        focus = new Uint8Array(pane.view.n);
        for (const i of pane.searchMatches) focus[i] = 1;
      } else if (this.highlightedSlot !== undefined) {
        const slot = this.highlightedSlot;
        focus = Uint8Array.from(paletteIndex, (s) => (s === slot ? 1 : 0));
      } else if (this.region) {
        focus = new Uint8Array(pane.view.n);
        for (const id of this.region.ids) {
          const i = pane.idToIndex.get(id);
          if (i !== undefined) focus[i] = 1;
        }
      }
      pane.plot.setStyle({ palette: coloured.encoding.palette, paletteIndex, focus });
    });
  }

  /**
   * The keyboard's region: of the points in view, the search matches while searching, else the highlighted legend
   * category's points, else all of them. So a category or a search becomes a region by zooming out (0) and pressing R.
   */
  private highlightedOnly(paneIndex: number, indices: number[]): number[] {
    const pane = this.panes[paneIndex];
    if ((this.store.current.search ?? '').trim() !== '') {
      const matches = new Set(pane.searchMatches);
      return indices.filter((i) => matches.has(i));
    }
    const slot = this.highlightedSlot;
    const paletteIndex = this.coloured?.paletteIndex[paneIndex];
    if (slot !== undefined && paletteIndex) return indices.filter((i) => paletteIndex[i] === slot);
    return indices;
  }

  private select(id: string | undefined, paneIndex: number): void {
    this.store.update({ selectedId: id });
    this.host.post({ type: 'selection', table: this.panes[paneIndex].view.table, ids: id === undefined ? [] : [id] });
    this.refreshSelection();
  }

  private clearSelection(): void {
    const hadRegion = this.region !== undefined;
    const table = this.panes[this.region?.sourcePane ?? 0]?.view.table;
    this.region = undefined;
    this.highlightedSlot = undefined;
    this.store.update({ selectedId: undefined });
    if (table) this.host.post({ type: 'selection', table, ids: [] });
    if (hadRegion) this.refreshRegion();
    this.applyColours();
    this.refreshSelection();
  }

  /** Neighbour tables and markers for the selected id, in every view that has it. */
  private refreshSelection(): void {
    const id = this.store.current.selectedId;
    this.panes.forEach((pane, v) => {
      const index = id === undefined ? undefined : pane.idToIndex.get(id);
      if (id === undefined) {
        const hint = element('p', 'hint');
        hint.textContent = 'Click a point (or search for an id and press Enter) to list its nearest neighbours.';
        pane.selectionDetails.replaceChildren(hint);
      } else if (index === undefined) {
        const missing = element('p', 'hint');
        missing.textContent = `${id} is not among the ${formatCount(pane.view.n)} points shown for ${pane.view.table}.`;
        pane.selectionDetails.replaceChildren(missing);
      } else {
        const other = this.panes.length > 1 ? this.panes[(v + 1) % this.panes.length] : undefined;
        const otherIndex = other?.idToIndex.get(id);
        renderNeighbourTable(pane.selectionDetails, {
          view: pane.view,
          index,
          colourOf: (i) => this.coloured?.encoding.palette[this.coloured.paletteIndex[v][i]] ?? this.theme.point,
          other:
            other && otherIndex !== undefined
              ? {
                  table: other.view.table,
                  neighbourIds: new Set(neighboursOf(other.view, otherIndex).indices.map((i) => other.view.ids[i])),
                }
              : undefined,
          onSelect: (neighbourId) => this.select(neighbourId, v),
          onOpen: (neighbourId) => this.host.post({ type: 'openItem', table: pane.view.table, id: neighbourId }),
          onEmphasise: (neighbour) => {
            pane.emphasised = neighbour;
            this.refreshMarkers();
          },
        });
      }
      pane.emphasised = undefined;
    });
    this.refreshMarkers();
    this.refreshSummaries();
  }

  private refreshMarkers(): void {
    const selectedId = this.store.current.selectedId;
    for (const pane of this.panes) {
      const selected = selectedId === undefined ? undefined : pane.idToIndex.get(selectedId);
      pane.plot.setMarkers({
        selected,
        neighbours: selected === undefined ? [] : neighboursOf(pane.view, selected).indices,
        emphasised: pane.emphasised,
        hovered: this.hoveredId === undefined ? undefined : pane.idToIndex.get(this.hoveredId),
        searchMatches: pane.searchMatches,
      });
    }
  }

  private setRegion(paneIndex: number, indices: number[]): void {
    const pane = this.panes[paneIndex];
    this.region = indices.length
      ? { sourcePane: paneIndex, ids: new Set(indices.map((i) => pane.view.ids[i])) }
      : undefined;
    this.host.post({ type: 'selection', table: pane.view.table, ids: indices.map((i) => pane.view.ids[i]) });
    this.refreshStyles();
    this.refreshRegion();
  }

  private refreshRegion(): void {
    const coloured = this.coloured;
    this.panes.forEach((pane, v) => {
      if (!this.region || !coloured) {
        pane.regionDetails.replaceChildren();
        return;
      }
      const indices: number[] = [];
      for (const id of this.region.ids) {
        const i = pane.idToIndex.get(id);
        if (i !== undefined) indices.push(i);
      }
      const origin = this.region.sourcePane === v ? undefined : this.panes[this.region.sourcePane].view.table;
      renderComposition(
        pane.regionDetails,
        composeRegion(indices, pane.view, coloured.encoding, coloured.paletteIndex[v]),
        origin,
      );
    });
  }

  private queueSearch(query: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.runSearch(query), SEARCH_DELAY_MS);
  }

  private runSearch(query: string): void {
    this.store.update({ search: query });
    const results = this.panes.map((pane) => searchView(pane.view, query));
    this.panes.forEach((pane, v) => (pane.searchMatches = results[v].matches));
    const total = results.reduce((s, r) => s + r.matches.length, 0);
    this.searchStatus.textContent =
      query.trim() === ''
        ? ''
        : total === 0
          ? 'No match'
          : this.panes.map((p, v) => `${formatCount(results[v].matches.length)} in ${p.view.table}`).join(', ');
    this.refreshStyles();
    this.refreshMarkers();
  }

  /** Enter in the search box: zoom every view to its matches, and select the point whose id is exactly the query. */
  private submitSearch(query: string): void {
    clearTimeout(this.searchTimer);
    this.runSearch(query);
    const exact = this.panes.map((pane) => searchView(pane.view, query).exact);
    const exactPane = exact.findIndex((i) => i !== undefined);
    if (exactPane >= 0) this.select(this.panes[exactPane].view.ids[exact[exactPane]!], exactPane);
    this.panes.forEach((pane) => pane.plot.zoomToPoints(pane.searchMatches));
  }

  private showBanner(kind: 'progress' | 'error', message: string): void {
    this.banner.hidden = false;
    this.banner.className = `banner banner-${kind}`;
    this.banner.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const text = element('span', 'banner-text');
    text.textContent = message;
    this.banner.replaceChildren(...(kind === 'progress' ? [createProgressRing(), text] : [text]));
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  return el;
}
