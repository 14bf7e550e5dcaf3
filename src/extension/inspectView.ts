/** "RecLens: Inspect Model": the model's structure as a read-only Markdown document. */
import * as vscode from 'vscode';
import { inspectModel } from '../engine/model/inspect';

export async function showInspection(modelFile: string): Promise<string> {
  const m = await inspectModel(modelFile);
  const shape = (s: (number | string | null)[] | null) => (s ? `[${s.map((d) => d ?? '?').join(', ')}]` : '?');
  const md = [
    `# ${modelFile}`,
    '',
    `Producer ${m.producer || 'unknown'}, IR ${m.irVersion}, opsets ${m.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}; ${m.nodeCount} nodes, ${m.parameterCount.toLocaleString('en-US')} parameters.`,
    '',
    '## Inputs',
    '',
    '| name | dtype | shape |',
    '|---|---|---|',
    ...m.inputs.map((i) => `| ${i.name} | ${i.dtype} | ${shape(i.shape)} |`),
    '',
    '## Outputs',
    '',
    '| name | dtype | shape |',
    '|---|---|---|',
    ...m.outputs.map((o) => `| ${o.name} | ${o.dtype} | ${shape(o.shape)} |`),
    '',
    '## Embedding tables (2-D float initializers read by Gather)',
    '',
    ...(m.embeddingTables.length
      ? [
          '| initializer | rows x dim | indexed by |',
          '|---|---|---|',
          ...m.embeddingTables.map((e) => `| ${e.initializer} | ${e.rows} x ${e.dim} | ${e.indexedBy.join(', ')} |`),
        ]
      : ['none']),
    '',
    '## Operators',
    '',
    Object.entries(m.opTypes)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(', '),
  ].join('\n');
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
  await vscode.window.showTextDocument(doc, { preview: true });
  return md;
}
