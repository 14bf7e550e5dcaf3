/** Slots (named groups of model inputs) and ablation targets ("a" or several slots joined as "a+b"). */
import type { NeutralValue, RecLensConfig, SlotSpec } from '../config/types';
import { inputError, usageError } from '../errors';
import { suggestion } from '../util/suggest';

export interface AblationTarget {
  /** Display name: a slot, or slots joined with "+" when ablated together. */
  name: string;
  slots: SlotSpec[];
  /** Model inputs changed by this target. */
  inputs: string[];
}

/** The config's slots, or one slot per model input when it defines none. */
export function resolveSlots(config: RecLensConfig, modelInputs: string[]): SlotSpec[] {
  if (config.slots.length === 0) return modelInputs.map((name) => ({ name, inputs: [name] }));
  for (const s of config.slots) {
    for (const [k, i] of s.inputs.entries()) {
      if (!modelInputs.includes(i)) {
        throw inputError(
          `Slot "${s.name}" names input "${i}", which the model does not have.${suggestion(i, modelInputs)}`,
          { file: config.file, path: ['slots', s.name, 'inputs', k] },
        );
      }
    }
  }
  return config.slots;
}

/** Parses "--slots a,b+c" into targets; no selection means every slot alone. */
export function resolveTargets(slots: SlotSpec[], selection?: string[]): AblationTarget[] {
  const byName = new Map(slots.map((s) => [s.name, s]));
  const entries = selection?.length ? selection : slots.map((s) => s.name);
  return entries.map((entry) => {
    const parts = entry
      .split('+')
      .map((p) => p.trim())
      .filter(Boolean);
    const chosen = parts.map((p) => {
      const s = byName.get(p);
      if (!s)
        throw usageError(
          `Unknown slot "${p}".${suggestion(p, [...byName.keys()])} Slots: ${[...byName.keys()].join(', ')}.`,
        );
      return s;
    });
    return { name: parts.join('+'), slots: chosen, inputs: [...new Set(chosen.flatMap((s) => s.inputs))] };
  });
}

/** The neutral value a target's input takes when masked: the first slot that names the input decides. */
export function neutralFor(target: AblationTarget, input: string): NeutralValue {
  return target.slots.find((s) => s.inputs.includes(input))?.neutral ?? 'zero';
}
