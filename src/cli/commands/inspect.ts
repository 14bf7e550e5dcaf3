import * as path from 'path';
import { requireConfig } from '../../engine/config/loadConfig';
import { openDuck } from '../../engine/data/duck';
import { usageError } from '../../engine/errors';
import { inspectModel, ModelInspection, readOnnx } from '../../engine/model/inspect';
import { loadTable } from '../../engine/data/tables';
import { DataProfile, profileData } from '../../engine/scaffold/profile';
import { proposeConfig } from '../../engine/scaffold/propose';
import { openWorkspace } from '../../engine/workspace';
import { int, shape, table } from '../format';
import type { Io } from '../io';
import { Flags, flagBool, flagString } from '../flags';
import { printDataWarnings } from '../records';

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
    lines.push(
      table(
        m.embeddingTables.map((e) => [
          e.initializer,
          `${int(e.rows)} x ${e.dim}`,
          e.indexedBy.length ? `indexed by ${e.indexedBy.join(', ')}` : '',
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function dataText(d: DataProfile): string {
  return [
    `Data ${d.file}: ${int(d.rows)} rows, ${d.columns.length} columns`,
    table([
      ['column', 'type', 'nulls', 'range / width', 'first values'],
      ...d.columns.map((c) => [
        c.name,
        c.type,
        int(c.nulls),
        c.cls === 'list'
          ? c.width !== undefined
            ? `width ${c.width}`
            : 'varying width'
          : c.min !== undefined
            ? `${c.min} .. ${c.max}`
            : `${int(c.distinct)} distinct`,
        c.samples.join(', '),
      ]),
    ]),
  ].join('\n');
}

/** Whether the score output is a logit or a probability: from a sample run when data is given, else from the graph. */
async function outputKindLine(
  model: string,
  data: string | undefined,
): Promise<{ kind: string; confidence: string; reason: string }> {
  if (data) {
    const p = await proposeConfig({ dir: path.dirname(path.resolve(data)), model, data, runModel: true });
    return { kind: p.outputKind.value, confidence: p.outputKind.confidence, reason: p.outputKind.reason };
  }
  const { graph } = await readOnnx(model);
  const op = graph.outputOps.find((o) => o.output === graph.outputs[0]?.name)?.opType;
  return op === 'Sigmoid' || op === 'Softmax'
    ? { kind: 'probability', confidence: 'high', reason: `the output is made by ${op}` }
    : {
        kind: 'logit',
        confidence: 'low',
        reason: `the output is made by ${op ?? 'an unknown op'}, not a Sigmoid; pass --data to check on a sample run`,
      };
}

export async function inspectCommand(
  args: { config?: string; model?: string; data?: string; json: boolean },
  io: Io,
): Promise<number> {
  if (!args.config && !args.model && !args.data)
    throw usageError('inspect needs --config <reclens.json>, --model <model.onnx> or --data <file>.');
  if (args.data && !args.model && !args.config) {
    const duck = await openDuck(1, [path.resolve(args.data)]);
    try {
      const d = await profileData(duck, path.resolve(args.data));
      io.out(args.json ? JSON.stringify({ data: d }, null, 2) : dataText(d));
    } finally {
      duck.close();
    }
    return 0;
  }
  if (args.model && !args.config) {
    const m = await inspectModel(args.model);
    const kind = await outputKindLine(args.model, args.data);
    io.out(
      args.json
        ? JSON.stringify({ model: m, outputKind: kind }, null, 2)
        : `${modelText(m)}\nOutput "${m.outputs[0]?.name}" looks like a ${kind.kind} (${kind.confidence}: ${kind.reason}).`,
    );
    return 0;
  }
  const { config } = requireConfig(args.config!);
  const ws = await openWorkspace(config);
  try {
    const warnings = ws.warnings.map((w) => w.message);
    printDataWarnings(warnings, io);
    const feeds = ws.plan.inputs.map((i) => ({
      input: i.name,
      dtype: i.dtype,
      dims: ['batch', ...i.dims],
      from:
        i.source.kind === 'table'
          ? { table: i.source.table.name, key: i.source.keyColumn }
          : { columns: i.source.columns },
    }));
    // Every table the config defines, not only those fed to the model (the others are AIS / embedding candidates).
    const tables = [];
    for (const [name, spec] of Object.entries(config.tables)) {
      const t = ws.tables[name] ?? (await loadTable(ws.duck, spec));
      const fedTo = feeds.filter((f) => 'table' in f.from && f.from.table === name).map((f) => f.input);
      tables.push({ name, file: t.file, rows: t.rows, dim: t.dim, fedTo });
    }
    if (args.json) {
      io.out(
        JSON.stringify(
          { config: config.file, model: ws.model, output: ws.outputName, data: ws.data, tables, feeds, warnings },
          null,
          2,
        ),
      );
      return 0;
    }
    io.out(
      [
        modelText(ws.model),
        `Score output: ${ws.outputName} (${config.model.outputKind})`,
        `Data ${ws.data.file}: ${int(ws.data.rows)} rows`,
        table(ws.data.columns.map((c) => [c.name, c.type])),
        ...(tables.length
          ? [
              'Tables',
              table(
                tables.map((t) => [
                  t.name,
                  `${int(t.rows)} x ${t.dim}`,
                  t.fedTo.length ? `feeds ${t.fedTo.join(', ')}` : 'not fed to the model',
                  t.file,
                ]),
              ),
            ]
          : []),
        'How each input is fed',
        table(
          feeds.map((f) => [
            f.input,
            `${f.dtype} [${f.dims.join(', ')}]`,
            'table' in f.from
              ? `table ${f.from.table} by ${f.from.key}`
              : `column${f.from.columns.length > 1 ? 's' : ''} ${f.from.columns.join(', ')}`,
          ]),
        ),
      ].join('\n'),
    );
    return 0;
  } finally {
    ws.close();
  }
}

export const inspectFromFlags = (f: Flags, io: Io): Promise<number> =>
  inspectCommand(
    {
      config: flagString(f, 'config'),
      model: flagString(f, 'model'),
      data: flagString(f, 'data'),
      json: flagBool(f, 'json'),
    },
    io,
  );
