/**
 * Where the files a config declares may lie. A cloned repository can ship `data/eval.csv -> /etc/passwd` (a link
 * the config's text does not show) or name a file outside itself outright; RecLens follows neither. Each declared
 * path is resolved to its real path (every symbolic link in it followed) and must lie inside the config's root:
 * in VS Code the workspace folder that holds the config; in the CLI the git work tree that holds it (the folder
 * above it with a .git); else the config's own folder. A folder the user allows on this machine is accepted too
 * (`reclens --allow-outside DIR`, the machine setting `reclens.allowedFolders`, which a workspace cannot set).
 */
import * as fs from 'fs';
import * as path from 'path';

/** undefined in the CLI; the editor's workspace folders once the extension sets them. */
let workspaceFolders: string[] | undefined;
let allowedFolders: string[] = [];

/** The editor's workspace folders; undefined: none, as in the CLI (a config's root is its repository or folder). */
export function setWorkspaceFolders(dirs: readonly string[] | undefined): void {
  workspaceFolders = dirs?.map((d) => path.resolve(d));
}

/** Folders outside the config's tree the user allows files in (datasets on another mount). */
export function setAllowedFolders(dirs: readonly string[]): void {
  allowedFolders = dirs.filter((d) => d.trim() !== '').map((d) => path.resolve(d));
}

/** The real path, or the path resolved as written when it cannot be resolved (a missing file). */
export function realPath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The nearest folder at or above `dir` that holds a .git (a work tree; a linked worktree's .git is a file). */
function gitWorkTree(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

export interface Root {
  dir: string;
  /** How messages name it (never by its absolute path: see messagePaths). */
  kind: 'the workspace folder that holds the config' | 'the repository that holds the config' | "the config's folder";
}

/** The folder a config's files must lie in (see the top of this file). */
export function rootOf(configDir: string): Root {
  const dir = realPath(configDir);
  if (workspaceFolders) {
    const holding = workspaceFolders
      .map(realPath)
      .filter((w) => isInside(dir, w))
      .sort((a, b) => a.length - b.length);
    return holding[0]
      ? { dir: holding[0], kind: 'the workspace folder that holds the config' }
      : { dir, kind: "the config's folder" };
  }
  const repo = gitWorkTree(dir);
  return repo ? { dir: repo, kind: 'the repository that holds the config' } : { dir, kind: "the config's folder" };
}

export type Containment = { ok: true; real: string } | { ok: false; real: string; root: Root; viaLink: boolean };

/** Whether `file` (absolute, existing) really lies inside the config's root or an allowed folder. */
export function contained(file: string, configDir: string): Containment {
  const real = realPath(file);
  const root = rootOf(configDir);
  if (isInside(real, root.dir) || allowedFolders.some((a) => isInside(real, realPath(a)))) return { ok: true, real };
  return { ok: false, real, root, viaLink: real !== path.resolve(file) };
}

/** The sentence that refuses a file outside the roots: what was named, where it really is, and how to allow it. */
export function outsideMessage(what: string, written: string, c: Extract<Containment, { ok: false }>): string {
  const where = c.viaLink ? `is a symbolic link to ${c.real}, outside` : 'lies outside';
  return `${what} "${written}" ${where} ${c.root.kind}; RecLens reads no file out of it (a cloned repository could point it at any file). If the file is meant to be there, allow its folder on this machine: reclens --allow-outside ${path.dirname(c.real)}, or the setting reclens.allowedFolders.`;
}
