/** Quick fixes as text edits on reclens.json (offset-based), computed by the engine so they are testable anywhere. */
import { findNodeAtLocation, modify, parseTree } from 'jsonc-parser';

export interface TextEdit {
  offset: number;
  length: number;
  content: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** Replace the string value (or property key) at `path` with `value`. */
export function replaceStringFix(text: string, path: (string | number)[], value: string, key = false): Fix | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const node = root && findNodeAtLocation(root, path);
  if (!node) return undefined;
  const target = key && node.parent?.type === 'property' ? node.parent.children![0] : node;
  if (target.type !== 'string') return undefined;
  return {
    title: `Change to "${value}"`,
    edits: [{ offset: target.offset, length: target.length, content: JSON.stringify(value) }],
  };
}

/** Add `"input": { "column": guess }` under "inputs" (creating "inputs" if needed). */
export function addInputFix(text: string, input: string, column: string): Fix {
  return {
    title: `Add an entry for input "${input}" (column "${column}")`,
    edits: modify(text, ['inputs', input], { column }, FORMAT),
  };
}

export function removeInputFix(text: string, input: string): Fix {
  return { title: `Remove the entry for "${input}"`, edits: modify(text, ['inputs', input], undefined, FORMAT) };
}

/** Add a slot grouping `inputs` (ablated together). */
export function createSlotFix(text: string, name: string, inputs: string[]): Fix {
  return {
    title: `Create slot "${name}" for ${inputs.join(', ')}`,
    edits: modify(text, ['slots', name], { inputs }, FORMAT),
  };
}

/** Applies edits (non-overlapping) to a text; used by tests and by the CLI. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}
