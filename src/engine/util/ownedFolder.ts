/**
 * The folders RecLens writes and prunes beside a config (`.reclens/cache`, `.reclens/model-cache`).
 *
 * A cloned repository can ship `.reclens` or `.reclens/cache` as a symbolic link to any folder on the machine; a
 * cache that followed it would write there and, pruning its oldest entries, delete folders there. So these folders
 * are made one level at a time and used only when every level below the config's folder is a real folder, never a
 * link (a cache is refused, not followed). Reading a cache goes through the same check, so nothing is recalled from
 * behind a link either.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inputError } from '../errors';

/** The first level of `<configDir>/<levels...>` that is not a real folder: a link, something else, or unreadable. */
export type FolderFault =
  | { path: string; kind: 'link'; target: string }
  | { path: string; kind: 'not a folder' }
  | { path: string; kind: 'unreadable'; code: string };

/** Where `<configDir>/<levels...>` fails to be a chain of real folders, or undefined (missing levels are fine). */
export function folderFault(configDir: string, levels: readonly string[]): FolderFault | undefined {
  let p = configDir;
  for (const level of levels) {
    p = path.join(p, level);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // made when first needed
      return { path: p, kind: 'unreadable', code: (e as NodeJS.ErrnoException).code ?? 'error' };
    }
    if (st.isSymbolicLink()) return { path: p, kind: 'link', target: fs.readlinkSync(p) };
    if (!st.isDirectory()) return { path: p, kind: 'not a folder' };
  }
  return undefined;
}

/** A fault in the words every cache uses: the path, what is wrong, what to do. */
export function describeFolderFault(f: FolderFault): string {
  if (f.kind === 'unreadable') return `${f.path} cannot be read (${f.code}).`;
  if (f.kind === 'link')
    return `${f.path} is a symbolic link (to ${f.target}); RecLens keeps its caches only in a real folder beside the config and never follows a link there (a cloned repository could point it anywhere). Remove the link; RecLens then makes the folder itself.`;
  return `${f.path} is not a folder. Move it away; RecLens then makes the folder itself.`;
}

/** Why `<configDir>/<levels...>` cannot be a RecLens-owned folder, or undefined when it can (missing levels are fine). */
export function folderRefusal(configDir: string, levels: readonly string[]): string | undefined {
  const fault = folderFault(configDir, levels);
  return fault && describeFolderFault(fault);
}

/**
 * `<configDir>/<levels...>`, made where missing, each level checked as in folderRefusal before the next is made in
 * it (so nothing is ever made behind a link). Throws an input error naming the level at fault.
 */
export function ownedFolder(configDir: string, levels: readonly string[]): string {
  let p = configDir;
  for (let i = 0; i < levels.length; i++) {
    p = path.join(p, levels[i]);
    try {
      fs.mkdirSync(p); // not recursive; its parent was checked a real folder just now
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const refused = folderRefusal(configDir, levels.slice(0, i + 1));
    if (refused) throw inputError(refused, { file: p });
  }
  return p;
}
