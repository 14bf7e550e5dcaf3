/**
 * `reclens cache --config C [--clear]`: what the decoded-rows cache beside a config holds (`.reclens/cache`: up to
 * three spilled row sets), and with --clear, removes it. The config is not parsed: a broken config's cache can be
 * cleared too. Nothing outside `.reclens/cache` is removed and no symbolic link is followed (engine/data/clearCache).
 */
import * as fs from 'fs';
import * as path from 'path';
import { clearRowCache, describeCleared, describeRowCache, rowCacheContents } from '../../engine/data/clearCache';
import { inputError, usageError } from '../../engine/errors';
import { clearModelCache, describeModelCacheCleared } from '../../engine/model/modelCache';
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
  const result = args.clear ? clearRowCache(dir) : rowCacheContents(dir);
  // The saved model graphs (.reclens/model-cache) go with --clear too.
  const models = args.clear ? clearModelCache(dir) : undefined;
  if (args.json) io.out(JSON.stringify(models ? { ...result, modelCache: models } : result, null, 2));
  else if (args.clear)
    io.out(
      describeCleared(result as ReturnType<typeof clearRowCache>) +
        (models && (models.removed || models.refused) ? `\n${describeModelCacheCleared(models)}` : ''),
    );
  else
    io.out(
      describeRowCache(result) +
        (result.entries.length || result.linkTarget !== undefined
          ? `\n  remove it: reclens cache --config ${args.config} --clear`
          : ''),
    );
  if (result.refused) {
    if (args.json) io.err(`reclens: error: ${result.refused}`);
    return 2;
  }
  return 0;
}

export const cacheFromFlags = (f: Flags, io: Io): Promise<number> =>
  Promise.resolve(
    cacheCommand({ config: flagString(f, 'config'), clear: flagBool(f, 'clear'), json: flagBool(f, 'json') }, io),
  );
