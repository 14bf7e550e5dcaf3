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

/** Why `<configDir>/<levels...>` cannot be a RecLens-owned folder, or undefined when it can (missing levels are fine). */
export function folderRefusal(configDir: string, levels: readonly string[]): string | undefined {
  let p = configDir;
  for (const level of levels) {
    p = path.join(p, level);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // made when first needed
      return `${p} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`;
    }
    if (st.isSymbolicLink())
      return `${p} is a symbolic link (to ${fs.readlinkSync(p)}); RecLens keeps its caches only in a real folder beside the config and never follows a link there (a cloned repository could point it anywhere). Remove the link; RecLens then makes the folder itself.`;
    if (!st.isDirectory()) return `${p} is not a folder. Move it away; RecLens then makes the folder itself.`;
  }
  return undefined;
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
