/**
 * Writes a proposal as reclens.json text (JSONC): guesses below "high" carry a comment saying why, and what could
 * not be decided is a TODO comment naming the candidates, never a value. Paths are relative to the config's folder.
 */
import * as path from 'path';
import type { InputProposal, Proposal } from './types';

const q = JSON.stringify;

function rel(dir: string, f: string): string {
  return path.relative(dir, f).split(path.sep).join('/');
}

function shapeText(p: InputProposal): string {
  return p.shape === null
    ? '?'
    : `[${p.shape.map((d, i) => (i === 0 && typeof d !== 'number' ? 'batch' : (d ?? '?'))).join(', ')}]`;
}

function sourceJson(p: InputProposal): string {
  const s = p.source!;
  if (s.kind === 'column') return `{ "column": ${q(s.column)} }`;
  if (s.kind === 'columns') return `{ "columns": [${s.columns.map((c) => q(c)).join(', ')}] }`;
  return `{ "table": ${q(s.table)}, "key": ${q(s.key)} }`;
}

/** Lines to fix before the config works, also printed by `reclens init` and shown by Create Config. */
export function proposalTodos(p: Proposal): string[] {
  const todos: string[] = [];
  if (!p.roles.label.column)
    todos.push(
      `data.label: ${p.roles.label.reason}${p.roles.label.alternatives.length ? `; candidates: ${p.roles.label.alternatives.join(', ')}` : ''}. Set it to the 0/1 outcome column.`,
    );
  for (const i of p.inputs) {
    if (i.source) continue;
    const alts = i.alternatives.slice(0, 4).map((a) => a.describe);
    todos.push(
      `inputs.${i.input} (${i.dtype} ${shapeText(i)}): ${i.reason}${alts.length ? `; candidates: ${alts.join('; ')}` : ''}.`,
    );
  }
  return todos;
}

export function renderProposal(p: Proposal, configDir = p.dir): string {
  const lines: string[] = [];
  const todos = proposalTodos(p);
  lines.push(
    '// RecLens workspace config, written by the scaffolder (reclens init / Create Config). Comments allowed; paths',
  );
  lines.push(
    '// are relative to this file. Guesses that are not certain say why; check them, then delete the comments.',
  );
  if (todos.length) {
    lines.push('// TODO before evaluating:');
    for (const t of todos) lines.push(`//   - ${t}`);
  }
  lines.push('{');
  if (p.outputKind.confidence !== 'high')
    lines.push(`  // outputKind (${p.outputKind.confidence}): ${p.outputKind.reason}.`);
  lines.push(
    `  "model": { "path": ${q(rel(configDir, p.model))}, "output": ${q(p.output)}, "outputKind": ${q(p.outputKind.value)} },`,
  );
  const data = [
    `"path": ${q(rel(configDir, p.data))}`,
    `"label": ${q(p.roles.label.column ?? `TODO: the 0/1 label column${p.roles.label.alternatives.length ? ` (one of ${p.roles.label.alternatives.join(', ')})` : ''}`)}`,
  ];
  for (const role of ['group', 'item', 'time'] as const) {
    const r = p.roles[role];
    if (r.column) data.push(`${q(role)}: ${q(r.column)}`);
  }
  const unsure = (['group', 'item', 'time'] as const).filter(
    (r) =>
      p.roles[r].confidence === 'medium' ||
      p.roles[r].confidence === 'low' ||
      (p.roles[r].confidence === 'todo' && p.roles[r].alternatives.length),
  );
  for (const r of unsure)
    lines.push(
      `  // data.${r}: ${p.roles[r].column ? `${p.roles[r].confidence}, ${p.roles[r].reason}` : `${p.roles[r].reason} (${p.roles[r].alternatives.join(', ')})`}.`,
    );
  lines.push(`  "data": { ${data.join(', ')} },`);
  if (p.tables.length) {
    lines.push('  "tables": {');
    lines.push(
      p.tables
        .map((t) => {
          const parts = [`"path": ${q(rel(configDir, t.path))}`];
          if (t.ids) parts.push(`"ids": ${q(rel(configDir, t.ids))}`);
          if (t.idColumn)
            parts.push(`"idColumn": ${q(t.idColumn)}`, `"vectorColumn": ${q(t.vectorColumn ?? 'vector')}`);
          return `    // ${t.rows} x ${t.dim}; ids cover ${t.keys.map((k) => `${k.column} (${(100 * k.coverage).toFixed(0)}%)`).join(', ')}\n    ${q(t.name)}: { ${parts.join(', ')} }`;
        })
        .join(',\n'),
    );
    lines.push('  },');
  }
  lines.push('  "inputs": {');
  const entries: string[] = [];
  for (const i of p.inputs) {
    const head = `    // ${i.input}: ${i.dtype} ${shapeText(i)}`;
    if (!i.source) {
      const alts = i.alternatives.slice(0, 4).map((a) => a.describe);
      entries.push(
        `${head}. TODO: ${i.reason}${alts.length ? `; candidates: ${alts.join('; ')}` : ''}. Add e.g. ${q(i.input)}: { "column": "<column>" }`,
      );
      continue;
    }
    const why = i.confidence === 'high' ? '' : ` (${i.confidence}: ${i.reason})`;
    entries.push(`${head}${why}\n    ${q(i.input)}: ${sourceJson(i)}`);
  }
  // Commas go after entries only (a trailing TODO comment must not take one).
  const withValue = entries.map((e, k) => ({ e, value: !!p.inputs[k].source }));
  const lastValue = withValue.map((x) => x.value).lastIndexOf(true);
  lines.push(withValue.map((x, k) => (x.value && k < lastValue ? x.e + ',' : x.e)).join('\n'));
  lines.push('  },');
  lines.push('  // One slot per input; group inputs into one slot to ablate them together.');
  lines.push('  "slots": {');
  lines.push(p.inputs.map((i) => `    ${q(i.input)}: { "inputs": [${q(i.input)}] }`).join(',\n'));
  lines.push(`  }${p.items ? ',' : ''}`);
  if (p.items)
    lines.push(
      `  "items": { "path": ${q(rel(configDir, p.items.path))}, "id": ${q(p.items.id)}${p.items.label ? `, "label": ${q(p.items.label)}` : ''} }`,
    );
  lines.push('}');
  lines.push('');
  return lines.join('\n');
}
