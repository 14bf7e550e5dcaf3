// The set-up the bench/realsize drivers share (openTimeline.mjs, sessionCreate.mjs, jobSequence.mjs): flags, CPU
// seconds of this process, rounding, and running named variants each in a fresh child process of the calling
// script, interleaved --reps times, each printing one JSON line with the 1-minute load before it.
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

/** `require` and the folder of the calling module (`import.meta.url`). */
export function moduleContext(url) {
  return { require: createRequire(url), here: path.dirname(fileURLToPath(url)), script: fileURLToPath(url) };
}

/** The command line's arguments; opt(name, default) takes `name value` out of them, the rest stay (variant names). */
export function commandLine(argv = process.argv.slice(2)) {
  const rest = [...argv];
  const opt = (name, dflt) => {
    const i = rest.indexOf(name);
    if (i < 0) return dflt;
    const v = rest[i + 1];
    rest.splice(i, 2);
    return v;
  };
  return { rest, opt };
}

/** User and system CPU seconds of this process so far (all threads), and its minor page faults. */
export function cpuNow() {
  const u = process.resourceUsage();
  return { user: u.userCPUTime / 1e6, system: u.systemCPUTime / 1e6, minflt: u.minorPageFault };
}

export const round3 = (x) => Math.round(x * 1000) / 1000;

/** The current 1-minute load average, two decimals. */
export const load1 = () => Math.round(os.loadavg()[0] * 100) / 100;

/**
 * Runs `script` once per variant name, `reps` times interleaved, each in a fresh process with `env(name)` added and
 * RECLENS_VARIANT=name; `before(name)` runs first in this process. Prints the child's last stdout line (JSON) with
 * the variant, the child's wall seconds and the load, or its stderr's tail if it failed.
 */
export function runVariants({ script, names, reps = 1, env = () => ({}), before = () => undefined }) {
  for (let rep = 0; rep < reps; rep++) {
    for (const name of names) {
      before(name);
      const load = load1();
      const t = performance.now();
      const r = spawnSync(process.execPath, [script], {
        env: { ...process.env, ...env(name), RECLENS_VARIANT: name },
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
      });
      const processWall = round3((performance.now() - t) / 1000);
      if (r.status !== 0) console.log(JSON.stringify({ variant: name, failed: r.stderr.slice(-600) }));
      else
        console.log(
          JSON.stringify({ variant: name, ...JSON.parse(r.stdout.trim().split('\n').pop()), processWall, load1: load }),
        );
    }
  }
}
