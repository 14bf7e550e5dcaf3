/**
 * `reclens rows`: the evaluation rows the model gets most wrong (per-row LogLoss), with readable values; with
 * --row I, one row explained: occlusion attribution per slot and the smallest single-slot change that flips it.
 */
import * as path from 'path';
import { requireConfig } from '../../engine/config/loadConfig';
import type { ProviderName } from '../../engine/config/types';
import { RowsSession } from '../../engine/rows/session';
import { WRONGNESS } from '../../engine/rows/types';
import { fmt, int, table } from '../format';
import type { Io } from '../io';
import { cliArgs, CliArgs, Flags, flagString, intFlag, runtimeOptions } from '../flags';
import { printDataWarnings } from '../records';

export interface RowsArgs extends CliArgs {
  seed: number;
  limit?: number;
  providers?: ProviderName[];
  batchSize?: number;
  slice?: string;
  worst: number;
  search?: string;
  row?: number;
  k: number;
}

export async function rowsCommand(args: RowsArgs, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const session = await RowsSession.open(config, {
    limit: args.limit,
    seed: args.seed,
    providers: args.providers,
    batchSize: args.batchSize,
  });
  try {
    const warnings = session.warnings.map((w) => w.message);
    printDataWarnings(warnings, io);
    if (args.row !== undefined) {
      const view = session.view(args.row);
      const occlusion = await session.occlusion(args.row, [], args.k);
      const flip = await session.flip(args.row);
      if (args.json) {
        io.out(JSON.stringify({ row: view, occlusion, flip, warnings }, null, 2));
        return 0;
      }
      io.out(
        [
          `RecLens row ${view.index} of ${config.name ?? path.basename(config.dir)}: user ${view.user ?? 'n/a'}, item ${view.item ?? 'n/a'}${view.itemLabel ? ` "${view.itemLabel}"` : ''}, history ${view.historyLength ?? 'n/a'}`,
          `  label ${view.label}   probability ${fmt(view.prob)}   per-row LogLoss ${fmt(view.loss)}`,
          `  occlusion (probability; all slots masked ${fmt(occlusion.allMaskedProb)}, interaction ${fmt(occlusion.interaction)}; spread over ${occlusion.k} other rows' values, seed ${occlusion.seed})`,
          table(
            [
              ['slot', 'effect', 'masked', 'permuted min', 'mean', 'max', 'value'],
              ...occlusion.attributions.map((a) => [
                a.slot,
                fmt(a.effect),
                fmt(a.maskedProb),
                fmt(a.permuted.min),
                fmt(a.permuted.mean),
                fmt(a.permuted.max),
                view.slots.find((s) => s.slot === a.slot)?.text ?? '',
              ]),
            ],
            '    ',
          ),
          flip.best
            ? `  flip          ${flip.best.slot} -> ${flip.best.text} gives ${fmt(flip.best.prob)} (threshold ${flip.threshold}; relative change ${fmt(flip.best.relativeChange, 2)}; ${flip.candidatesPerSlot} candidates per slot)`
            : `  flip          no single-slot change among ${flip.candidatesPerSlot} candidates per slot crosses ${flip.threshold}`,
        ].join('\n'),
      );
      return 0;
    }
    const page = await session.page({
      sort: 'loss',
      descending: true,
      slice: args.slice,
      search: args.search,
      offset: 0,
      limit: args.worst,
    });
    if (args.json) {
      io.out(
        JSON.stringify(
          {
            measure: WRONGNESS,
            rows: session.rows,
            matching: page.total,
            slice: args.slice ?? null,
            search: args.search ?? null,
            shown: page.rows.length,
            worst: page.rows,
            warnings,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    io.out(
      [
        `RecLens rows: ${config.name ?? path.basename(config.dir)}: the ${page.rows.length} worst of ${int(page.total)} rows${args.slice ? ` in slice ${args.slice}` : ''} (${WRONGNESS})`,
        table([
          ['row', 'user', 'item', 'label', 'p', 'loss', 'history', ...session.slotNames()],
          ...page.rows.map((r) => [
            String(r.index),
            r.user ?? '',
            r.itemLabel ? `${r.item} ${r.itemLabel}` : (r.item ?? ''),
            String(r.label),
            fmt(r.prob),
            fmt(r.loss, 3),
            r.historyLength === null ? 'n/a' : String(r.historyLength),
            ...r.slots.map((s) => (s.text.length > 48 ? s.text.slice(0, 47) + '…' : s.text)),
          ]),
        ]),
        `  explain one: reclens rows --config ${args.config} --row ${page.rows[0]?.index ?? 0}`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await session.close();
  }
}

export async function rowsFromFlags(f: Flags, io: Io): Promise<number> {
  const cli = cliArgs('rows', f);
  return rowsCommand(
    {
      ...cli,
      ...(await runtimeOptions(f)),
      slice: flagString(f, 'slice'),
      worst: (await intFlag(f, 'worst', 1)) ?? 20,
      search: flagString(f, 'search'),
      row: await intFlag(f, 'row'),
      k: (await intFlag(f, 'k', 1)) ?? 16,
    },
    io,
  );
}
