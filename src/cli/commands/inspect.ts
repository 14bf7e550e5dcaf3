import { requireConfig } from '../../engine/config/loadConfig';
import { usageError } from '../../engine/errors';
import { inspectModel, ModelInspection } from '../../engine/model/inspect';
import { loadTable } from '../../engine/data/tables';
import { openWorkspace } from '../../engine/workspace';
import { int, shape, table } from '../format';
import type { Io } from '../io';

function modelText(m: ModelInspection): string {
  const lines = [
    `Model ${m.file}`,
    `  producer ${m.producer || '(unknown)'}, IR ${m.irVersion}, opsets ${m.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`,
    `  ${int(m.nodeCount)} nodes, ${int(m.initializerCount)} initializers, ${int(m.parameterCount)} parameters, ${int(m.bytes)} bytes`,
    'Inputs',
    table(m.inputs.map((i) => [i.name, i.dtype, shape(i.shape)])),
    'Outputs',
    table(m.outputs.map((o) => [o.name, o.dtype, shape(o.shape)])),
  ];
  if (m.embeddingTables.length) {
    lines.push('Embedding tables (2-D float initializers read by Gather)');
    lines.push(table(m.embeddingTables.map((e) => [e.initializer, `${int(e.rows)} x ${e.dim}`, e.indexedBy.length ? `indexed by ${e.indexedBy.join(', ')}` : ''])));
  }
  return lines.join('\n');
}

export async function inspectCommand(args: { config?: string; model?: string; json: boolean }, io: Io): Promise<number> {
  if (!args.config && !args.model) throw usageError('inspect needs --config <reclens.json> or --model <model.onnx>.');
  if (args.model && !args.config) {
    const m = await inspectModel(args.model);
    io.out(args.json ? JSON.stringify({ model: m }, null, 2) : modelText(m));
    return 0;
  }
  const { config } = requireConfig(args.config!);
  const ws = await openWorkspace(config);
  try {
    const feeds = ws.plan.inputs.map((i) => ({
      input: i.name, dtype: i.dtype, dims: ['batch', ...i.dims],
      from: i.source.kind === 'table' ? { table: i.source.table.name, key: i.source.keyColumn } : { columns: i.source.columns },
    }));
    // Every table the config defines, not only those fed to the model (the others are AIS / embedding candidates).
    const tables = [];
    for (const [name, spec] of Object.entries(config.tables)) {
      const t = ws.tables[name] ?? (await loadTable(ws.duck, spec));
      const fedTo = feeds.filter((f) => 'table' in f.from && f.from.table === name).map((f) => f.input);
      tables.push({ name, file: t.file, rows: t.rows, dim: t.dim, fedTo });
    }
    if (args.json) {
      io.out(JSON.stringify({ config: config.file, model: ws.model, output: ws.outputName, data: ws.data, tables, feeds }, null, 2));
      return 0;
    }
    io.out([
      modelText(ws.model),
      `Score output: ${ws.outputName} (${config.model.outputKind})`,
      `Data ${ws.data.file}: ${int(ws.data.rows)} rows`,
      table(ws.data.columns.map((c) => [c.name, c.type])),
      ...(tables.length ? ['Tables', table(tables.map((t) => [t.name, `${int(t.rows)} x ${t.dim}`, t.fedTo.length ? `feeds ${t.fedTo.join(', ')}` : 'not fed to the model', t.file]))] : []),
      'How each input is fed',
      table(feeds.map((f) => [f.input, `${f.dtype} [${f.dims.join(', ')}]`, 'table' in f.from ? `table ${f.from.table} by ${f.from.key}` : `column${f.from.columns.length > 1 ? 's' : ''} ${f.from.columns.join(', ')}`])),
    ].join('\n'));
    return 0;
  } finally {
    ws.close();
  }
}
