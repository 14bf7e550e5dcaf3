/** Shared test helpers: temp workspaces around the tiny fixture model, and the CLI run in-process or as a process. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli/main';
import { seededRandom } from '../src/engine/util/random';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const TINY_MODEL = path.join(FIXTURES, 'tiny.onnx');
export const W = [0.5, -1.0, 2.0];
export const B = 0.25;
export const emb = (item: number) => (2 * item - 10 + (2 * item + 1 - 10)) / 10; // sum of EMB[item]

const created: string[] = [];
// Each test file runs in its own process: remove its temp folders when it ends.
process.on('exit', () => {
  for (const d of created) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'reclens-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(d);
  return d;
}

export interface TinyRow {
  user: number;
  item: number;
  d0: number;
  d1: number;
  d2: number;
  label: number;
}

/** Rows whose labels follow the tiny model's own probabilities (seeded), so its AUC is well above 0.5. */
export function tinyRows(n: number, seed = 1): TinyRow[] {
  const rng = seededRandom(seed);
  const rows: TinyRow[] = [];
  for (let i = 0; i < n; i++) {
    const r: TinyRow = {
      user: i % 17,
      item: i % 10,
      d0: +(rng() * 2 - 1).toFixed(3),
      d1: +(rng() * 2 - 1).toFixed(3),
      d2: +(rng() * 2 - 1).toFixed(3),
      label: 0,
    };
    const p = 1 / (1 + Math.exp(-tinyLogit(r)));
    r.label = rng() < p ? 1 : 0;
    rows.push(r);
  }
  return rows;
}

export function tinyLogit(r: { d0: number; d1: number; d2: number; item: number }): number {
  return r.d0 * W[0] + r.d1 * W[1] + r.d2 * W[2] + emb(r.item) + B;
}

export function writeCsv(file: string, rows: Record<string, unknown>[]): void {
  const cols = Object.keys(rows[0]);
  fs.writeFileSync(
    file,
    [cols.join(','), ...rows.map((r) => cols.map((c) => String(r[c])).join(','))].join('\n') + '\n',
  );
}

/** A workspace folder with tiny.onnx, data.csv and reclens.json; `config` overrides the default config. */
export function tinyWorkspace(
  opts: { rows?: Record<string, unknown>[]; config?: Record<string, unknown>; configText?: string } = {},
): { dir: string; config: string } {
  const dir = tempDir();
  fs.copyFileSync(TINY_MODEL, path.join(dir, 'model.onnx'));
  writeCsv(path.join(dir, 'data.csv'), opts.rows ?? (tinyRows(400) as unknown as Record<string, unknown>[]));
  const config = opts.config ?? {
    model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
    data: { path: 'data.csv', label: 'label', group: 'user' },
    inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
    runtime: { executionProviders: ['cpu'], batchSize: 64 },
  };
  const file = path.join(dir, 'reclens.json');
  fs.writeFileSync(file, opts.configText ?? JSON.stringify(config, null, 2));
  return { dir, config: file };
}

/** Runs the CLI in-process; returns exit code and captured output. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(args, {
    out: (t) => {
      out += t + '\n';
    },
    err: (t) => {
      err += t + '\n';
    },
  });
  return { code, out, err };
}

/** Runs bin/reclens as a real process (exit code and stderr as a user sees them). */
export function cliProcess(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'reclens'), ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
