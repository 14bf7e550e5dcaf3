/**
 * `reclens cache --config C [--clear]`: what the caches beside a config hold (`.reclens/cache`: up to three spilled
 * row sets; `.reclens/model-cache`: saved model graphs, one per model file), and with --clear, removes them. The config is not parsed: a broken config's cache can be
 * cleared too. Nothing outside those folders is removed and no symbolic link is followed (engine/data/clearCache).
 */
import * as fs from 'fs';
import * as path from 'path';
import { clearRowCache, describeCleared, describeRowCache, rowCacheContents } from '../../engine/data/clearCache';
import { inputError, usageError } from '../../engine/errors';
import { clearModelCache, describeModelCacheCleared } from '../../engine/model/modelCache';
import { describeModelCache, ModelCacheContents, modelCacheContents } from '../../engine/model/modelCacheContents';
import type { Io } from '../io';
import { Flags, flagBool, flagString } from '../flags';

export function cacheCommand(args: { config?: string; clear: boolean; json: boolean }, io: Io): number {
  if (!args.config) throw usageError('cache needs --config <reclens.json>: its folder holds the cache.');
  const file = path.resolve(args.config);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw inputError(`${args.config} does not exist or is not a file. Give the reclens.json whose cache to show.`, {
      file: args.config,
    });
  const dir = path.dirname(file);
  // The saved model graphs (.reclens/model-cache): listed, and removed with --clear, beside the row sets.
  const models = modelCacheContents(dir);
  if (args.clear) {
    const rows = clearRowCache(dir);
    const cleared = clearModelCache(dir);
    if (args.json) io.out(JSON.stringify({ ...rows, modelCache: { ...cleared, entries: models.entries } }, null, 2));
    else
      io.out(
        describeCleared(rows) +
          (cleared.removed || (cleared.refused && cleared.refused !== rows.refused) // one refusal said once
            ? `\n${describeModelCacheCleared(cleared)}${cleared.removed ? `\n${modelLines(models)}` : ''}`
            : ''),
      );
    return refusedExit(rows.refused ?? cleared.refused, args.json, io);
  }
  const rows = rowCacheContents(dir);
  if (args.json) io.out(JSON.stringify({ ...rows, modelCache: models }, null, 2));
  else
    io.out(
      describeRowCache(rows) +
        (models.refused && models.refused === rows.refused ? '' : `\n${describeModelCache(models)}`) +
        (rows.entries.length || rows.linkTarget !== undefined || models.entries.length
          ? `\n  remove them: reclens cache --config ${args.config} --clear`
          : ''),
    );
  return refusedExit(rows.refused ?? models.refused, args.json, io);
}

/** The per-model lines of describeModelCache (what --clear removed). */
function modelLines(models: ModelCacheContents): string {
  return describeModelCache(models).split('\n').slice(1).join('\n');
}

/** Exit 2 when a cache folder was refused (a link or a file where a folder belongs); --json says why on stderr. */
function refusedExit(refused: string | undefined, json: boolean, io: Io): number {
  if (!refused) return 0;
  if (json) io.err(`reclens: error: ${refused}`);
  return 2;
}

export const cacheFromFlags = (f: Flags, io: Io): Promise<number> =>
  Promise.resolve(
    cacheCommand({ config: flagString(f, 'config'), clear: flagBool(f, 'clear'), json: flagBool(f, 'json') }, io),
  );
