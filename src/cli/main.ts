/** `reclens`: the engine from a terminal or CI. Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error. */
import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../engine/config/loadConfig';
import { RecLensError, usageError } from '../engine/errors';
import { optionFromFlag, PROVIDERS } from '../engine/jobs/options';
import { isJobKind } from '../engine/jobs/registry';
import { setAllowedFolders } from '../engine/util/fileRoots';
import { DEFAULT_ROW_CACHE_MAX_MB, setRowCacheMaxMB } from '../engine/data/rowCacheDisk';
import { DEFAULT_MODEL_CACHE_MAX_MB, modelCacheBound } from '../engine/model/modelCacheContents';
import { relativePaths } from '../engine/util/messagePaths';
import { DEFAULT_MAX_FILE_MB, setMaxFileSizeMB } from '../engine/util/safeFile';
import { ablateCommand } from './commands/ablate';
import { cacheFromFlags } from './commands/cache';
import { alignCommand } from './commands/align';
import { ceilingCommand } from './commands/ceiling';
import { checkFromFlags } from './commands/check';
import { compareFromFlags } from './commands/compare';
import { embedCommand } from './commands/embed';
import { evalCommand } from './commands/eval';
import { initFromFlags } from './commands/init';
import { inspectFromFlags } from './commands/inspect';
import { lisCommand } from './commands/lis';
import { reportFromFlags } from './commands/report';
import { rowsFromFlags } from './commands/rows';
import { flagString, intFlag, parseFlags } from './flags';
import { HELP, jobHelp } from './help';
import { Io, processIo } from './io';

/** Puts file:line:column in front of a message about a config field. */
function positioned(e: RecLensError): string {
  const file = e.where.file;
  if (e.where.path && file && file.endsWith('.json') && fs.existsSync(file)) {
    try {
      const loaded = loadConfig(file);
      const { start } = loaded.locator.rangeOf(e.where.path);
      return `${file}:${start.line}:${start.column}: ${e.message}`;
    } catch {
      /* fall through */
    }
  }
  return e.message;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return command ? 0 : 1;
    }
    const flags = parseFlags(rest, HELP);
    if (flags.help) {
      io.out(isJobKind(command) ? jobHelp(command) : HELP);
      return 0;
    }
    setMaxFileSizeMB((await intFlag(flags, 'max-file-size', 1)) ?? DEFAULT_MAX_FILE_MB);
    setRowCacheMaxMB((await intFlag(flags, 'row-cache-max-mb', 0)) ?? DEFAULT_ROW_CACHE_MAX_MB);
    modelCacheBound.setMB((await intFlag(flags, 'model-cache-max-mb', 0)) ?? DEFAULT_MODEL_CACHE_MAX_MB);
    setAllowedFolders((flags['allow-outside'] as string[] | undefined) ?? []);
    const given = flagString(flags, 'config');
    if (given) {
      // Messages name the config as given and its files relative to its folder (--json output keeps its paths).
      // The config's own path is set aside first, so an absolute --config stays as typed.
      const absConfig = path.resolve(given),
        mark = '\u0000config\u0000';
      const shown = (t: string) =>
        relativePaths(t.split(absConfig).join(mark), path.dirname(absConfig)).split(mark).join(given);
      const raw = io;
      io = { ...raw, out: (t) => raw.out(flags.json ? t : shown(t)), err: (t) => raw.err(shown(t)) };
    }
    await optionFromFlag(PROVIDERS, flagString(flags, 'providers')); // checked for every command, as it always was
    // Each command reads its own flags; the job commands take their options from the engine's job registry.
    switch (command) {
      case 'init':
        return await initFromFlags(flags, io);
      case 'inspect':
        return await inspectFromFlags(flags, io);
      case 'eval':
        return await evalCommand(flags, io);
      case 'ablate':
        return await ablateCommand(flags, io);
      case 'ceiling':
        return await ceilingCommand(flags, io);
      case 'lis':
        return await lisCommand(flags, io);
      case 'embed':
        return await embedCommand(flags, io);
      case 'align':
        return await alignCommand(flags, io);
      case 'compare':
        return await compareFromFlags(flags, io);
      case 'report':
        return await reportFromFlags(flags, io);
      case 'check':
        return await checkFromFlags(flags, io);
      case 'rows':
        return await rowsFromFlags(flags, io);
      case 'cache':
        return await cacheFromFlags(flags, io);
      default:
        throw usageError(`Unknown command "${command}".\n\n${HELP}`);
    }
  } catch (e) {
    if (e instanceof RecLensError) {
      io.err(`reclens: ${e.kind === 'usage' ? 'usage error' : 'error'}: ${positioned(e)}`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(
      `reclens: internal error: ${err?.message ?? String(e)}. This is a bug in RecLens; please report it${process.env.RECLENS_DEBUG ? '' : ' (set RECLENS_DEBUG=1 to see the stack)'}.`,
    );
    if (process.env.RECLENS_DEBUG) io.err(String(err?.stack));
    return 3;
  }
}

// `node out/src/cli/main.js ...` works as well as bin/reclens.
if (require.main === module)
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
