/**
 * The rows explorer and the row What-If over one config: every evaluation row built once and scored once (the
 * host keeps them; a view asks for pages), ranked by how wrong the model is, with readable values; single rows
 * re-scored with edits through the same inference worker, occlusion attributions, the smallest flipping change,
 * and counterfactual sets saved beside the config.
 */
import { limitClause } from '../data/limitClause';
import * as fs from 'fs';
import * as path from 'path';
import { neutralFor, resolveSlots } from '../ablation/slots';
import { neutralRow } from '../ablation/neutral';
import type { ProviderName, RecLensConfig, SlotSpec } from '../config/types';
import type { FeedArray } from '../data/batches';
import type { DataWarning } from '../data/dataWarnings';
import { describeColumns } from '../data/describe';
import { readExpression, sqlIdent } from '../data/duck';
import { Materialized, materialize, sliceRows } from '../data/materialize';
import type { PlannedInput } from '../data/inputPlan';
import { Key, normaliseKey } from '../data/keys';
import { LookupTable, loadTable } from '../data/tables';
import { inputError } from '../errors';
import { toProbabilities } from '../job';
import { keyExpression, timeExpression } from '../lis/evalKeys';
import { argsortFloat32 } from '../metrics/argsort';
import { PROB_CLIP } from '../metrics/loss';
import { scoreBatches } from '../model/batchScorer';
import { RemoteSession } from '../model/remoteSession';
import { JobControl, report } from '../progress';
import { writeFileAtomic } from '../runs/atomicWrite';
import { evalSlices, sliceRows as sliceMask } from '../slices/evalSlices';
import { seededRandom } from '../util/random';
import { openWorkspace, Workspace } from '../workspace';
import { inputText, isMultiHot, Readers, rowValues } from './readable';
import type {
  Attribution,
  CounterfactualSet,
  FlipCandidate,
  FlipResult,
  InputValues,
  OcclusionResult,
  RescoredRow,
  RowEdit,
  RowPage,
  RowQuery,
  RowView,
  SlotDetail,
} from './types';

export interface RowsOptions {
  limit?: number;
  seed?: number;
  providers?: ProviderName[];
  batchSize?: number;
}

const keyText = (k: Key | undefined) => (k === undefined ? null : String(k));

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : 0;
}

export class RowsSession {
  readonly probs: Float32Array;
  readonly loss: Float32Array;
  private readonly views = new Map<string, Uint32Array>();
  private readonly neutral = new Map<string, FeedArray>();
  private readonly slots: SlotSpec[];

  private constructor(
    readonly config: RecLensConfig,
    private readonly ws: Workspace,
    private readonly rs: RemoteSession,
    readonly mat: Materialized,
    readonly scores: Float32Array,
    private readonly users: Key[] | undefined,
    private readonly items: Key[] | undefined,
    private readonly history: Int32Array | undefined,
    private readonly readers: Readers,
    private readonly itemLabels: Map<Key, string>,
    readonly seed: number,
  ) {
    this.probs = toProbabilities(config, ws.outputName, scores);
    this.loss = new Float32Array(mat.rows);
    for (let i = 0; i < mat.rows; i++) {
      const p = Math.min(1 - PROB_CLIP, Math.max(PROB_CLIP, this.probs[i]));
      this.loss[i] = mat.labels[i] ? -Math.log(p) : -Math.log(1 - p);
    }
    this.slots = resolveSlots(
      config,
      mat.inputs.map((i) => i.name),
    );
  }

  /** The data's warnings (NULL groups, a label written as words), as every job reports them. */
  get warnings(): DataWarning[] {
    return this.ws.warnings;
  }

  static async open(config: RecLensConfig, opts: RowsOptions = {}, control?: JobControl): Promise<RowsSession> {
    report(control, { phase: 'open', done: 0, total: 1 });
    const ws = await openWorkspace(config);
    let rs: RemoteSession | undefined;
    let release: (() => void) | undefined; // the row set, held while the explorer is open: released by close()
    try {
      const mat = await materialize(ws, control, opts.limit);
      release = mat.release;
      if (mat.rows === 0)
        throw inputError(`No evaluation rows in ${config.data.path}.`, { file: config.file, path: ['data', 'path'] });
      rs = await RemoteSession.open(
        config.model.path,
        opts.providers ?? config.runtime.executionProviders,
        config.runtime.threads,
        ws.outputName,
      );
      const scores = await scoreBatches(
        rs,
        mat.inputs,
        mat.rows,
        opts.batchSize ?? config.runtime.batchSize,
        (inp, s, e) => sliceRows(mat.columns.get(inp.name)!, inp.width, s, e),
        control,
        (done) => report(control, { phase: 'inference', done, total: mat.rows }),
      );
      const { users, items, times } = await readKeys(ws, mat.rows);
      const history = users && times ? await historyLengths(ws, users, times) : undefined;
      const itemLabels = await readItemLabels(ws);
      const tablesByDim = new Map<number, LookupTable>();
      for (const t of Object.values(ws.tables)) if (!tablesByDim.has(t.dim)) tablesByDim.set(t.dim, t);
      for (const [name, spec] of Object.entries(config.tables)) {
        if (ws.tables[name]) continue;
        try {
          const t = await loadTable(ws.duck, spec);
          if (!tablesByDim.has(t.dim)) tablesByDim.set(t.dim, t);
        } catch {
          /* check reports it */
        }
      }
      const readers: Readers = { tablesByDim, label: (k) => itemLabels.get(normaliseKey(k)) ?? null };
      return new RowsSession(config, ws, rs, mat, scores, users, items, history, readers, itemLabels, opts.seed ?? 0);
    } catch (e) {
      release?.();
      await rs?.close();
      ws.close();
      throw e;
    }
  }

  get rows(): number {
    return this.mat.rows;
  }

  get outputKind(): string {
    return this.config.model.outputKind;
  }

  slotNames(): string[] {
    return this.slots.map((s) => s.name);
  }

  /** Configured slices, then the automatic ones that hold rows here. */
  async sliceNames(): Promise<string[]> {
    const { masks } = await evalSlices(this.ws, this.rows);
    return masks.map((m) => m.name);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.mat.rows)
      throw inputError(`Row ${index} is not an evaluation row (0 to ${this.mat.rows - 1}).`);
  }

  /** The rows a query selects, in its order (cached per sort, slice and search). */
  async ordered(q: Pick<RowQuery, 'sort' | 'descending' | 'slice' | 'search' | 'slot' | 'item'>): Promise<Uint32Array> {
    const key = JSON.stringify([q.sort, q.descending, q.slice ?? '', q.search ?? '', q.slot ?? '', q.item ?? '']);
    const hit = this.views.get(key);
    if (hit) return hit;
    const n = this.mat.rows;
    let order: Uint32Array;
    if (q.sort === 'row') order = Uint32Array.from({ length: n }, (_, i) => i);
    else {
      const v =
        q.sort === 'loss'
          ? this.loss
          : q.sort === 'score'
            ? this.scores
            : q.sort === 'slot'
              ? await this.slotEffects(q.slot)
              : Float32Array.from(this.mat.labels);
      order = argsortFloat32(v);
    }
    if (q.descending) order.reverse();
    let keep: Uint8Array | undefined;
    if (q.slice) keep = (await sliceMask(this.ws, n, q.slice)).rows;
    const needle = q.search?.trim().toLowerCase();
    const item = q.item !== undefined ? normaliseKey(q.item) : undefined;
    if (keep || needle || item !== undefined) {
      const out: number[] = [];
      for (const r of order) {
        if (keep && !keep[r]) continue;
        if (item !== undefined && this.items?.[r] !== item) continue;
        if (needle && !this.matches(r, needle)) continue;
        out.push(r);
      }
      order = Uint32Array.from(out);
    }
    if (this.views.size > 16) this.views.clear();
    this.views.set(key, order);
    return order;
  }

  private readonly effects = new Map<string, Float32Array>();

  /** |prob - prob with the slot masked| of every row: one inference pass over all rows, cached per slot. */
  async slotEffects(name: string | undefined): Promise<Float32Array> {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot)
      throw inputError(`Sorting by slot needs one of the slots (${this.slotNames().join(', ')}), not "${name ?? ''}".`);
    const hit = this.effects.get(slot.name);
    if (hit) return hit;
    const neutral = new Map(slot.inputs.map((i) => [i, this.neutralOf(slot, i)]));
    const masked = await scoreBatches(
      this.rs,
      this.mat.inputs,
      this.mat.rows,
      this.config.runtime.batchSize,
      (inp, s, e) => {
        const row = neutral.get(inp.name);
        if (!row) return sliceRows(this.mat.columns.get(inp.name)!, inp.width, s, e);
        const Ctor = row.constructor as new (n: number) => FeedArray;
        const out = new Ctor((e - s) * inp.width);
        for (let k = 0; k < e - s; k++) (out as Float32Array).set(row as Float32Array, k * inp.width);
        return out;
      },
    );
    const mp = toProbabilities(this.config, this.ws.outputName, masked);
    const out = new Float32Array(this.mat.rows);
    for (let i = 0; i < out.length; i++) out[i] = Math.abs(this.probs[i] - mp[i]);
    this.effects.set(slot.name, out);
    return out;
  }

  private matches(r: number, needle: string): boolean {
    const u = this.users?.[r],
      i = this.items?.[r];
    if (u !== undefined && String(u).toLowerCase().includes(needle)) return true;
    if (i !== undefined) {
      if (String(i).toLowerCase().includes(needle)) return true;
      const l = this.itemLabels.get(i);
      if (l && l.toLowerCase().includes(needle)) return true;
    }
    return false;
  }

  async page(q: RowQuery): Promise<RowPage> {
    const order = await this.ordered(q);
    const offset = Math.max(0, Math.min(q.offset, order.length));
    const end = Math.min(order.length, offset + Math.max(0, Math.min(q.limit, 500)));
    const rows: RowView[] = [];
    for (let k = offset; k < end; k++) rows.push(this.view(order[k]));
    return { total: order.length, offset, rows };
  }

  view(index: number): RowView {
    this.check(index);
    const item = this.items?.[index];
    return {
      index,
      user: keyText(this.users?.[index]),
      item: keyText(item),
      itemLabel: item === undefined ? null : (this.itemLabels.get(item) ?? null),
      historyLength: this.history ? this.history[index] : null,
      label: this.mat.labels[index],
      score: this.scores[index],
      prob: this.probs[index],
      loss: this.loss[index],
      slots: this.slots.map((s) => ({
        slot: s.name,
        text: this.slotText(s, (inp) => rowValues(this.mat.columns.get(inp.name)!, inp.width, index), index),
      })),
    };
  }

  private input(name: string): PlannedInput {
    return this.mat.inputs.find((i) => i.name === name)!;
  }

  private slotText(s: SlotSpec, values: (inp: PlannedInput) => number[], keyRow: number): string {
    return s.inputs
      .map((name) => {
        const inp = this.input(name);
        const key = inp.source.kind === 'table' ? this.items?.[keyRow] : undefined;
        return inputText(
          inp,
          values(inp),
          this.readers,
          inp.source.kind === 'table' && inp.source.keyColumn === this.config.data.item ? key : undefined,
        );
      })
      .join('; ');
  }

  /** Each slot's inputs of a row (edits applied), for the What-If editor. */
  detail(index: number, edits: RowEdit[] = []): SlotDetail[] {
    const row = this.editedRow(index, edits);
    return this.slots.map((s) => ({
      slot: s.name,
      description: s.description,
      inputs: s.inputs.map((name): InputValues => {
        const inp = this.input(name);
        const values = Array.from(row.get(name)!, Number);
        return {
          input: name,
          width: inp.width,
          dtype: inp.dtype,
          values: values.slice(0, 64),
          multiHot: isMultiHot(values),
        };
      }),
      text: this.slotText(s, (inp) => Array.from(row.get(inp.name)!, Number), this.keyRowFor(index, edits, s.name)),
    }));
  }

  /** The row whose item names a table-fed slot: the source row when the slot was copied from another row. */
  private keyRowFor(index: number, edits: RowEdit[], slot: string): number {
    let r = index;
    for (const e of edits) if (e.kind === 'fromRow' && e.slot === slot) r = e.source;
    return r;
  }

  /** One row's feeds with edits applied (fresh arrays). */
  editedRow(index: number, edits: RowEdit[]): Map<string, FeedArray> {
    this.check(index);
    const out = new Map<string, FeedArray>();
    for (const inp of this.mat.inputs)
      out.set(inp.name, sliceRows(this.mat.columns.get(inp.name)!, inp.width, index, index + 1));
    for (const e of edits) {
      if (e.kind === 'fromRow') {
        const slot = this.slots.find((s) => s.name === e.slot);
        if (!slot) throw inputError(`Unknown slot "${e.slot}" (slots: ${this.slotNames().join(', ')}).`);
        this.check(e.source);
        for (const name of slot.inputs) {
          const inp = this.input(name);
          out.set(name, sliceRows(this.mat.columns.get(name)!, inp.width, e.source, e.source + 1));
        }
      } else {
        const inp = this.mat.inputs.find((i) => i.name === e.input);
        if (!inp) throw inputError(`Unknown input "${e.input}".`);
        if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset >= inp.width)
          throw inputError(`Input "${e.input}" has ${inp.width} values; offset ${e.offset} is outside it.`);
        if (!Number.isFinite(e.value)) throw inputError(`Value for input "${e.input}" must be a finite number.`);
        const arr = out.get(inp.name)!;
        if (arr instanceof BigInt64Array) arr[e.offset] = BigInt(Math.round(e.value));
        else arr[e.offset] = e.value;
      }
    }
    return out;
  }

  /** Scores many single rows in one call: each entry is one row's feeds. */
  private async scoreRows(rows: Map<string, FeedArray>[]): Promise<{ scores: Float32Array; probs: Float32Array }> {
    const scores = new Float32Array(rows.length);
    const batch = Math.max(1, this.config.runtime.batchSize);
    for (let start = 0; start < rows.length; start += batch) {
      const part = rows.slice(start, start + batch);
      const feeds = this.mat.inputs.map((inp) => {
        const Ctor = this.mat.columns.get(inp.name)!.constructor as new (n: number) => FeedArray;
        const data = new Ctor(part.length * inp.width);
        part.forEach((r, k) => (data as Float32Array).set(r.get(inp.name) as Float32Array, k * inp.width));
        return { name: inp.name, dtype: inp.dtype, dims: inp.dims, data };
      });
      scores.set(await this.rs.run(part.length, feeds), start);
    }
    return { scores, probs: toProbabilities(this.config, this.ws.outputName, scores) };
  }

  /** Score of one row with edits: one inference call of one row. */
  async scoreEdited(index: number, edits: RowEdit[]): Promise<{ score: number; prob: number }> {
    const { scores, probs } = await this.scoreRows([this.editedRow(index, edits)]);
    return { score: scores[0], prob: probs[0] };
  }

  private neutralOf(slot: SlotSpec, name: string): FeedArray {
    const key = `${slot.name}/${name}`;
    let v = this.neutral.get(key);
    if (!v) {
      const inp = this.input(name);
      v = neutralRow(
        inp,
        this.mat.columns.get(name)!,
        this.mat.rows,
        neutralFor({ name: slot.name, slots: [slot], inputs: slot.inputs }, name),
      );
      this.neutral.set(key, v);
    }
    return v;
  }

  private withSlot(base: Map<string, FeedArray>, slot: SlotSpec, from: number | 'neutral'): Map<string, FeedArray> {
    const out = new Map(base);
    for (const name of slot.inputs) {
      const inp = this.input(name);
      out.set(
        name,
        from === 'neutral'
          ? (this.neutralOf(slot, name).slice() as FeedArray)
          : sliceRows(this.mat.columns.get(name)!, inp.width, from, from + 1),
      );
    }
    return out;
  }

  /** K other rows, seeded by the session seed, the row and a salt. */
  private otherRows(index: number, k: number, salt: number): number[] {
    const rng = seededRandom((this.seed * 1000003 + index * 7919 + salt) | 0);
    const n = this.mat.rows;
    const picked = new Set<number>();
    const want = Math.min(k, n - 1);
    while (picked.size < want) {
      const r = Math.floor(rng() * n);
      if (r !== index) picked.add(r);
    }
    return [...picked];
  }

  /**
   * Occlusion: each slot masked to its neutral value (effect = prob - masked prob) and taken from K other rows
   * (the spread of plausible values); all variants go to the model in one call.
   */
  async occlusion(index: number, edits: RowEdit[] = [], k = 16): Promise<OcclusionResult> {
    const base = this.editedRow(index, edits);
    const variants: Map<string, FeedArray>[] = [base];
    let allMasked = base;
    for (const s of this.slots) allMasked = this.withSlot(allMasked, s, 'neutral');
    variants.push(allMasked);
    const others = this.slots.map((_, si) => this.otherRows(index, k, si + 1));
    this.slots.forEach((s, si) => {
      variants.push(this.withSlot(base, s, 'neutral'));
      for (const r of others[si]) variants.push(this.withSlot(base, s, r));
    });
    const { scores, probs } = await this.scoreRows(variants);
    const prob = probs[0];
    const per = others[0]?.length ?? 0;
    const attributions: Attribution[] = this.slots.map((s, si) => {
      const at = 2 + si * (1 + per);
      const perm = Array.from(probs.subarray(at + 1, at + 1 + per));
      const mean = perm.reduce((a, b) => a + b, 0) / Math.max(1, perm.length);
      const sd = Math.sqrt(perm.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, perm.length - 1));
      return {
        slot: s.name,
        maskedProb: probs[at],
        effect: prob - probs[at],
        permuted: { k: perm.length, min: Math.min(...perm), max: Math.max(...perm), mean, sd },
      };
    });
    const sum = attributions.reduce((a, b) => a + b.effect, 0);
    attributions.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
    return {
      index,
      prob,
      score: scores[0],
      allMaskedProb: probs[1],
      attributions,
      interaction: prob - probs[1] - sum,
      k: per,
      seed: this.seed,
    };
  }

  /**
   * The smallest single-slot change that moves the row's probability across `threshold`: candidates per slot are
   * its neutral value and its values in `m` other rows (seeded); size = L2 distance of the slot's values, relative to
   * the median distance among that slot's candidates, so slots of different scales compare.
   */
  async flip(index: number, edits: RowEdit[] = [], threshold = 0.5, m = 32): Promise<FlipResult> {
    const base = this.editedRow(index, edits);
    const variants: Map<string, FeedArray>[] = [base];
    const meta: { slot: SlotSpec; source: 'neutral' | number }[] = [];
    this.slots.forEach((s, si) => {
      for (const src of ['neutral' as const, ...this.otherRows(index, m, 101 + si)]) {
        variants.push(this.withSlot(base, s, src));
        meta.push({ slot: s, source: src });
      }
    });
    const { probs } = await this.scoreRows(variants);
    const prob = probs[0];
    const above = prob >= threshold;
    // Integer inputs are ids: any other id is one change (Hamming); float inputs move by L2 distance.
    const dist = (v: Map<string, FeedArray>, s: SlotSpec) => {
      let d = 0;
      for (const name of s.inputs) {
        const a = base.get(name)!,
          b = v.get(name)!;
        const ids = a instanceof BigInt64Array || a instanceof Int32Array;
        for (let j = 0; j < a.length; j++) d += ids ? (a[j] === b[j] ? 0 : 1) : (Number(a[j]) - Number(b[j])) ** 2;
      }
      return Math.sqrt(d);
    };
    const perSlot: FlipCandidate[] = [];
    for (const s of this.slots) {
      const idx = meta.flatMap((x, i) => (x.slot === s ? [i] : []));
      const ds = idx.map((i) => dist(variants[i + 1], s));
      const scale = median(ds.filter((d) => d > 0)) || 1;
      let best: FlipCandidate | null = null;
      idx.forEach((i, k) => {
        const p = probs[i + 1];
        if (p >= threshold === above) return;
        const rel = ds[k] / scale;
        if (
          !best ||
          rel < best.relativeChange ||
          (rel === best.relativeChange && Math.abs(p - prob) < Math.abs(best.prob - prob))
        ) {
          const src = meta[i].source;
          best = {
            slot: s.name,
            source: src,
            prob: p,
            relativeChange: rel,
            text:
              src === 'neutral'
                ? 'neutral value'
                : this.slotText(s, (inp) => rowValues(this.mat.columns.get(inp.name)!, inp.width, src), src),
          };
        }
      });
      if (best) perSlot.push(best);
    }
    perSlot.sort((a, b) => a.relativeChange - b.relativeChange);
    return { index, threshold, prob, best: perSlot[0] ?? null, perSlot, candidatesPerSlot: m + 1 };
  }

  /** Rows of an item, or of a user (for "another item" / "another user's history" edits). */
  rowsOf(role: 'item' | 'user', key: string, limit = 1): number[] {
    const keys = role === 'item' ? this.items : this.users;
    if (!keys) return [];
    const want = normaliseKey(key);
    const out: number[] = [];
    for (let r = 0; r < keys.length && out.length < limit; r++) if (keys[r] === want) out.push(r);
    return out;
  }

  /** Items whose label or id contains the text (for the item picker). */
  searchItems(text: string, limit = 20): { item: string; label: string | null; row: number }[] {
    const needle = text.trim().toLowerCase();
    const seen = new Set<Key>();
    const out: { item: string; label: string | null; row: number }[] = [];
    if (!this.items || !needle) return out;
    for (let r = 0; r < this.items.length && out.length < limit; r++) {
      const k = this.items[r];
      if (seen.has(k)) continue;
      const label = this.itemLabels.get(k) ?? null;
      if (String(k).toLowerCase().includes(needle) || (label && label.toLowerCase().includes(needle))) {
        seen.add(k);
        out.push({ item: String(k), label, row: r });
      }
    }
    return out;
  }

  counterfactualDir(): string {
    return path.join(this.config.dir, '.reclens', 'counterfactuals');
  }

  /** Saves edited rows into a named set (write then rename); rows already in the set are kept. */
  async saveCounterfactuals(name: string, rows: { index: number; edits: RowEdit[] }[]): Promise<string> {
    if (!/^[\w.-]{1,64}$/.test(name))
      throw inputError(`Counterfactual set name "${name}" must be 1 to 64 letters, digits, "_", "-" or ".".`);
    const scored = await this.scoreRows(rows.map((r) => this.editedRow(r.index, r.edits)));
    const set: CounterfactualSet = {
      version: 1,
      name,
      createdAt: new Date().toISOString(),
      config: this.config.file,
      model: { file: this.config.model.path, sha256: this.ws.onnx.sha256 },
      rows: rows.map((r, i) => ({
        index: r.index,
        user: keyText(this.users?.[r.index]),
        item: keyText(this.items?.[r.index]),
        edits: r.edits,
        prob: scored.probs[i],
      })),
    };
    const file = path.join(this.counterfactualDir(), `${name}.json`);
    // Saving into an existing set adds the rows (a row saved again replaces its earlier edits).
    try {
      const old = JSON.parse(fs.readFileSync(file, 'utf8')) as CounterfactualSet;
      if (old?.version === 1 && Array.isArray(old.rows))
        set.rows = [...old.rows.filter((r) => !set.rows.some((n) => n.index === r.index)), ...set.rows];
    } catch {
      /* a new set */
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(set, null, 2));
    return file;
  }

  /** Re-scores a saved set with the current model and data; rows whose user or item changed are marked stale. */
  async rescoreCounterfactuals(
    name: string,
  ): Promise<{ set: CounterfactualSet; modelChanged: boolean; rows: RescoredRow[] }> {
    const file = path.join(this.counterfactualDir(), `${name}.json`);
    let set: CounterfactualSet;
    try {
      set = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw inputError(`Cannot read counterfactual set ${file}: ${(e as Error).message}`, { file });
    }
    if (set?.version !== 1 || !Array.isArray(set.rows))
      throw inputError(`${file} is not a RecLens counterfactual set (version 1).`, { file });
    const ok: { i: number; row: Map<string, FeedArray> }[] = [];
    const out: RescoredRow[] = set.rows.map((r, i) => {
      if (
        !(r.index >= 0 && r.index < this.rows) ||
        keyText(this.users?.[r.index]) !== r.user ||
        keyText(this.items?.[r.index]) !== r.item
      )
        return { ...r, now: null, stale: 'the data row no longer has this user and item' };
      try {
        ok.push({ i, row: this.editedRow(r.index, r.edits) });
        return { ...r, now: null };
      } catch (e) {
        return { ...r, now: null, stale: (e as Error).message };
      }
    });
    const scored = await this.scoreRows(ok.map((x) => x.row));
    ok.forEach((x, k) => {
      out[x.i].now = scored.probs[k];
    });
    return { set, modelChanged: set.model.sha256 !== this.ws.onnx.sha256, rows: out };
  }

  listCounterfactuals(): string[] {
    try {
      return fs
        .readdirSync(this.counterfactualDir())
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort();
    } catch {
      return [];
    }
  }

  async close(): Promise<void> {
    this.mat.release();
    await this.rs.close();
    this.ws.close();
  }
}

async function readKeys(ws: Workspace, rows: number): Promise<{ users?: Key[]; items?: Key[]; times?: Float64Array }> {
  const { group, item, time } = ws.config.data;
  const type = (c?: string) => (c ? ws.data.columns.find((x) => x.name === c)?.type : undefined);
  const parts: string[] = [];
  const roles: ('u' | 'i' | 't')[] = [];
  if (group && type(group)) {
    parts.push(keyExpression(group, type(group)!));
    roles.push('u');
  }
  if (item && type(item)) {
    parts.push(keyExpression(item, type(item)!));
    roles.push('i');
  }
  if (time && type(time)) {
    parts.push(timeExpression(time, type(time)!));
    roles.push('t');
  }
  if (!parts.length) return {};
  const cols = (
    await ws.duck.conn.runAndReadAll(
      `SELECT ${parts.join(', ')} FROM ${ws.plan.fromClause}${limitClause(rows, ws.data.rows)}`,
    )
  ).getColumns();
  const out: { users?: Key[]; items?: Key[]; times?: Float64Array } = {};
  roles.forEach((r, i) => {
    if (r === 'u') out.users = cols[i].map((v) => (v === null ? '(null)' : normaliseKey(v)));
    else if (r === 'i') out.items = cols[i].map((v) => (v === null ? '(null)' : normaliseKey(v)));
    else out.times = Float64Array.from(cols[i], (v) => (v === null ? NaN : Number(v)));
  });
  return out;
}

/** For each row, the user's interactions strictly before the row's time in the interactions log. */
async function historyLengths(ws: Workspace, users: Key[], times: Float64Array): Promise<Int32Array | undefined> {
  const inter = ws.config.raw.interactions as { path?: string; user?: string; time?: string } | undefined;
  if (!inter?.path || !inter.user || !inter.time) return undefined;
  const file = path.resolve(ws.config.dir, inter.path);
  const cols = await describeColumns(ws.duck, file);
  const ut = cols.find((c) => c.name === inter.user)?.type,
    tt = cols.find((c) => c.name === inter.time)?.type;
  if (!ut || !tt) return undefined;
  const r = await ws.duck.conn.runAndReadAll(
    `SELECT ${keyExpression(inter.user, ut)} AS u, ${timeExpression(inter.time, tt)} AS t FROM ${readExpression(file)} WHERE ${sqlIdent(inter.user)} IS NOT NULL ORDER BY 1, 2`,
  );
  const [u, t] = r.getColumns();
  const byUser = new Map<Key, number[]>();
  u.forEach((v, i) => {
    const k = normaliseKey(v);
    let l = byUser.get(k);
    if (!l) byUser.set(k, (l = []));
    l.push(Number(t[i]));
  });
  const out = new Int32Array(users.length);
  users.forEach((k, i) => {
    const l = byUser.get(k);
    if (!l) return;
    let lo = 0,
      hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid] < times[i]) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  });
  return out;
}

async function readItemLabels(ws: Workspace): Promise<Map<Key, string>> {
  const items = ws.config.raw.items as { path?: string; id?: string; label?: string } | undefined;
  const out = new Map<Key, string>();
  if (!items?.path || !items.id || !items.label) return out;
  const file = path.resolve(ws.config.dir, items.path);
  try {
    const cols = await describeColumns(ws.duck, file);
    const idType = cols.find((c) => c.name === items.id)?.type;
    if (!idType || !cols.some((c) => c.name === items.label)) return out;
    const r = await ws.duck.conn.runAndReadAll(
      `SELECT ${keyExpression(items.id, idType)}, CAST(${sqlIdent(items.label)} AS VARCHAR) FROM ${readExpression(file)}`,
    );
    const [k, l] = r.getColumns();
    k.forEach((v, i) => {
      if (v !== null && l[i] !== null) out.set(normaliseKey(v), String(l[i]));
    });
  } catch {
    /* labels are a convenience: ids still show */
  }
  return out;
}
