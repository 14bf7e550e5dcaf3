/**
 * SVG marks drawn over the canvas for the few points that matter right now: the selected point and its
 * neighbours, the hovered (or linked-hovered) point and search matches. Few nodes, restyled by CSS per theme.
 */
import type { Rect } from './scatterRenderer';

export interface Markers {
  selected?: number;
  /** Neighbours of the selected point in this view's original space, nearest first. */
  neighbours: readonly number[];
  /** A neighbour to emphasise (the row under the pointer in the neighbours table). */
  emphasised?: number;
  hovered?: number;
  searchMatches: readonly number[];
}

/** More search rings than this would clutter the plot; the canvas dimming still shows every match. */
export const MAX_SEARCH_RINGS = 200;
const SVG = 'http://www.w3.org/2000/svg';

export class MarkerLayer {
  private readonly lines: SVGGElement;
  private readonly search: SVGGElement;
  private readonly neighbours: SVGGElement;
  private readonly hover: SVGGElement;
  private readonly selected: SVGGElement;

  constructor(root: SVGGElement) {
    const layer = (name: string) => {
      const g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', name);
      root.appendChild(g);
      return g;
    };
    this.lines = layer('neighbour-lines');
    this.search = layer('search-rings');
    this.neighbours = layer('neighbour-rings');
    this.hover = layer('hover-ring');
    this.selected = layer('selected-ring');
  }

  render(
    markers: Markers,
    position: (index: number) => [number, number],
    clip: Rect,
    ids: readonly string[],
    labelOf: (index: number) => string,
  ): void {
    const inside = ([x, y]: [number, number]) =>
      x >= clip.x && x <= clip.x + clip.width && y >= clip.y && y <= clip.y + clip.height;

    const selectedAt = markers.selected === undefined ? undefined : position(markers.selected);
    const lines = selectedAt ? markers.neighbours : [];
    pool(this.lines, 'line', lines.length).forEach((line, j) => {
      const [x, y] = position(lines[j]);
      setAttributes(line, { x1: selectedAt![0], y1: selectedAt![1], x2: x, y2: y, 'data-id': ids[lines[j]] });
    });

    const matches = markers.searchMatches.slice(0, MAX_SEARCH_RINGS).filter((i) => inside(position(i)));
    pool(this.search, 'circle', matches.length).forEach((ring, j) =>
      ring3(ring, position(matches[j]), 6, ids[matches[j]]),
    );

    pool(this.neighbours, 'circle', markers.neighbours.length).forEach((ring, j) => {
      const index = markers.neighbours[j];
      ring3(ring, position(index), index === markers.emphasised ? 8 : 5, ids[index]);
      ring.classList.toggle('emphasised', index === markers.emphasised);
    });

    const hovered = markers.hovered === undefined ? [] : [markers.hovered];
    pool(this.hover, 'circle', hovered.length).forEach((ring) => ring3(ring, position(hovered[0]), 9, ids[hovered[0]]));

    // The selected point: a halo, a ring and its name, placed on the side with room for it.
    const selected = markers.selected;
    const parts = pool(this.selected, 'g', selected === undefined ? 0 : 1);
    if (selected !== undefined && parts[0]) {
      const g = parts[0];
      if (!g.firstChild) {
        g.append(
          document.createElementNS(SVG, 'circle'),
          document.createElementNS(SVG, 'circle'),
          document.createElementNS(SVG, 'text'),
        );
        (g.children[0] as SVGElement).setAttribute('class', 'halo');
        (g.children[1] as SVGElement).setAttribute('class', 'ring');
      }
      const [x, y] = selectedAt!;
      g.setAttribute('data-id', ids[selected]);
      setAttributes(g.children[0] as SVGElement, { cx: x, cy: y, r: 8 });
      setAttributes(g.children[1] as SVGElement, { cx: x, cy: y, r: 8 });
      const text = g.children[2] as SVGTextElement;
      const onLeft = x > clip.x + clip.width * 0.7;
      setAttributes(text, { x: onLeft ? x - 12 : x + 12, y: y + 4, 'text-anchor': onLeft ? 'end' : 'start' });
      text.textContent = labelOf(selected);
      g.style.display = inside([x, y]) ? '' : 'none';
    }
  }
}

function ring3(ring: SVGElement, [x, y]: [number, number], r: number, id: string): void {
  setAttributes(ring, { cx: x, cy: y, r, 'data-id': id });
}

/** Keeps exactly `count` children of one kind in `group`, reusing the existing ones. */
function pool(group: SVGGElement, tag: 'circle' | 'line' | 'g', count: number): SVGElement[] {
  while (group.childElementCount > count) group.lastChild!.remove();
  while (group.childElementCount < count) group.appendChild(document.createElementNS(SVG, tag));
  return Array.from(group.children) as SVGElement[];
}

function setAttributes(element: SVGElement, attributes: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(attributes))
    element.setAttribute(name, typeof value === 'number' ? value.toFixed(1) : value);
}
