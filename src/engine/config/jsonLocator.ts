/** Maps JSON paths in a JSONC text to 1-based line/column ranges, so every problem can point at its field. */
import { findNodeAtLocation, Node } from 'jsonc-parser';
import type { Position } from './problems';

export class JsonLocator {
  private readonly lineStarts: number[] = [0];

  constructor(
    text: string,
    private readonly root: Node | undefined,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /**
   * The range of the value at `path`, or of its nearest existing parent. With `key` true and the path ending in
   * a property, the property's key is the range (used for "unknown key" problems).
   */
  rangeOf(path: (string | number)[], key = false): { start: Position; end: Position } {
    if (!this.root) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(this.root, path.slice(0, n));
      if (!node) continue;
      const target = key && n === path.length && node.parent?.type === 'property' ? node.parent.children![0] : node;
      return { start: this.positionAt(target.offset), end: this.positionAt(target.offset + target.length) };
    }
    return { start: this.positionAt(this.root.offset), end: this.positionAt(this.root.offset + 1) };
  }
}
