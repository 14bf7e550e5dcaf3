/**
 * Keeps the inference worker of a finished job for the next job on the same model in this process (docs/performance.md,
 * "Round 9"). The editor runs eval -> ablate -> ceiling on one model; each job used to start a fresh worker and
 * onnxruntime session (for the 209 MB ranker: the saved graph's read and create, ~1 s, and onnxruntime's first runs,
 * ~0.1 s), and the workspace read the model again to hash it.
 *
 * A kept worker is found again only by its key (see sessionKey): the model file's stamp and sha256 (a rewritten file
 * has another stamp), the providers, the threads and the score output. At most one idle worker per key: a job takes
 * it (so two jobs never share one: the second opens its own) and hands it back when it closes its session; a
 * second one handed back for a key that already has one is ended. An idle worker ends after IDLE_MS, or when
 * releaseKeptSessions() is called (the editor: Clear Cache, a changed config or setting, deactivation). Neither the
 * timer nor the idle worker keeps a CLI process alive (both unref'd).
 */

/** How long an idle worker is kept. */
export const IDLE_MS = 60_000;

/** What the keeper needs of a kept thing: how to end it, and how to keep it from holding the process open. */
export interface Keepable {
  /** Ends the worker (terminate). */
  end(): Promise<void>;
  /** Lets the process exit while it idles (Worker.unref), or not (Worker.ref) once a job has it again. */
  hold(held: boolean): void;
  /** Calls `lost` if the worker dies while it idles (it is then forgotten). */
  watch(lost: () => void): () => void;
}

interface Entry {
  kept: Keepable;
  timer: NodeJS.Timeout;
  unwatch: () => void;
}

const idle = new Map<string, Entry>();

/** The key of a session: everything that decides what it computes. */
export function sessionKey(k: {
  file: string;
  stamp: string;
  sha256: string;
  providers: readonly string[];
  threads: number;
  output: string | undefined;
}): string {
  return JSON.stringify([k.file, k.stamp, k.sha256, k.providers, k.threads, k.output ?? null]);
}

/** The idle worker kept under `key`, now the caller's (removed from the keeper), if any. */
export function takeKept<T extends Keepable>(key: string): T | undefined {
  const e = idle.get(key);
  if (!e) return undefined;
  idle.delete(key);
  clearTimeout(e.timer);
  e.unwatch();
  e.kept.hold(true);
  return e.kept as T;
}

/** Keeps `kept` idle under `key`; ends it instead if the key already has one. */
export async function keepIdle(key: string, kept: Keepable, idleMs = IDLE_MS): Promise<void> {
  if (idle.has(key)) return kept.end();
  kept.hold(false);
  const timer = setTimeout(() => {
    if (idle.get(key)?.kept !== kept) return;
    idle.delete(key);
    unwatch();
    void kept.end();
  }, idleMs);
  timer.unref();
  const unwatch = kept.watch(() => {
    if (idle.get(key)?.kept !== kept) return;
    idle.delete(key);
    clearTimeout(timer);
  });
  idle.set(key, { kept, timer, unwatch });
}

/** Ends every idle worker (Clear Cache, a changed config, the extension's deactivation, tests). */
export async function releaseKeptSessions(): Promise<void> {
  const all = [...idle.values()];
  idle.clear();
  await Promise.all(
    all.map((e) => {
      clearTimeout(e.timer);
      e.unwatch();
      return e.kept.end();
    }),
  );
}

/** How many idle workers are kept (tests, the editor's output). */
export function keptSessionCount(): number {
  return idle.size;
}
