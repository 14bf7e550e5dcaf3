import * as fs from 'fs';
import * as path from 'path';
import { inputError } from '../../engine/errors';
import { writeFileAtomic } from '../../engine/runs/atomicWrite';
import { proposeConfig } from '../../engine/scaffold/propose';
import { proposalTodos, renderProposal } from '../../engine/scaffold/render';
import type { Proposal } from '../../engine/scaffold/types';
import { describeSource } from '../../engine/scaffold/types';
import { shape, table } from '../format';
import type { Io } from '../io';
import { Flags, flagBool, flagString } from '../flags';

/** The proposed mapping as the table `init` prints (and the editor shows): input, dtype / shape, source, confidence, why. */
export function mappingTable(p: Proposal): string {
  const rows = [['input', 'dtype / shape', 'fed from', 'confidence', 'why / alternatives']];
  for (const i of p.inputs) {
    const alts = i.alternatives
      .filter((a) => !i.source || describeSource(i.source) !== a.describe)
      .slice(0, 2)
      .map((a) => a.describe);
    rows.push([
      i.input,
      `${i.dtype} ${shape(i.shape)}`,
      i.source ? describeSource(i.source) : 'TODO',
      i.confidence,
      i.reason + (alts.length && i.confidence !== 'high' ? `; else ${alts.join(', ')}` : ''),
    ]);
  }
  return table(rows);
}

/**
 * `reclens init`: writes a reclens.json for the folder of --out (default ./reclens.json) from the model and data
 * found there (or given), printing the mapping with its confidence. Never overwrites without --yes; the file is
 * written whole (write then rename).
 */
export async function initCommand(
  args: { model?: string; data?: string; out?: string; yes: boolean; json: boolean },
  io: Io,
): Promise<number> {
  const out = path.resolve(args.out ?? 'reclens.json');
  if (fs.existsSync(out) && !args.yes) {
    throw inputError(
      `${out} already exists; not overwriting it. Pass --yes to replace it, or --out <file> to write another.`,
      { file: out },
    );
  }
  const dir = path.dirname(out);
  if (!fs.existsSync(dir))
    throw inputError(`Folder ${dir} (of --out) does not exist. Create it or choose another --out.`, { file: dir });
  const p = await proposeConfig({ dir, model: args.model, data: args.data, runModel: true });
  const text = renderProposal(p, dir);
  writeFileAtomic(out, text);
  const todos = proposalTodos(p);
  if (args.json) {
    io.out(JSON.stringify({ config: out, proposal: p, todos }, null, 2));
    return 0;
  }
  const role = (r: keyof Proposal['roles']) => `${r} ${p.roles[r].column ?? '(none)'} (${p.roles[r].confidence})`;
  io.out(
    [
      `Wrote ${out}`,
      `  model ${path.relative(dir, p.model) || p.model}, output "${p.output}": ${p.outputKind.value} (${p.outputKind.confidence}: ${p.outputKind.reason})`,
      `  data ${path.relative(dir, p.data) || p.data}: ${(['label', 'group', 'item', 'time'] as const).map(role).join(', ')}`,
      ...(p.tables.length ? [`  tables: ${p.tables.map((t) => `${t.name} (${t.rows} x ${t.dim})`).join(', ')}`] : []),
      ...(p.items ? [`  items: ${path.relative(dir, p.items.path)} by ${p.items.id}`] : []),
      ...p.notes.map((n) => `  ${n}`),
      'Inputs',
      mappingTable(p),
      todos.length
        ? `${todos.length} TODO${todos.length === 1 ? '' : 's'} (also at the top of the file):\n${todos.map((t) => `  - ${t}`).join('\n')}\nFix them, then run: reclens check --config ${args.out ?? 'reclens.json'}`
        : `Next: reclens eval --config ${args.out ?? 'reclens.json'}`,
    ].join('\n'),
  );
  return 0;
}

export const initFromFlags = (f: Flags, io: Io): Promise<number> =>
  initCommand(
    {
      model: flagString(f, 'model'),
      data: flagString(f, 'data'),
      out: flagString(f, 'out'),
      yes: flagBool(f, 'yes'),
      json: flagBool(f, 'json'),
    },
    io,
  );
