// runWizard: steps in order, each a prompt; the prompter's Back button (GoBack) returns to the
// previous step that was shown, with the answers so far kept in the state (so prompts can prefill).
// Steps may be skipped for the current state (e.g. "key spec" when the key type has only one). The
// count never shrinks: a step once counted keeps its number even when a later answer skips it.
import type { StepOptions } from './stepPrompts';

export interface WizardStep<S> {
  /** Skipped when true for the current state; counted only if it was ever not skipped (so totals never shrink). */
  skip?(state: S): boolean;
  /** Asks, stores the answer in state; false when the user dismissed the prompt (the wizard ends). */
  run(state: S, at: Required<StepOptions>): Promise<boolean>;
}

/** The completed state, or undefined when the user dismissed a step. */
export async function runWizard<S>(state: S, steps: readonly WizardStep<S>[]): Promise<S | undefined> {
  const shown: number[] = [];
  const counted = new Set<number>();
  let i = 0;
  while (i < steps.length) {
    steps.forEach((s, k) => !s.skip?.(state) && counted.add(k));
    const step = steps[i];
    if (step.skip?.(state)) {
      i++;
      continue;
    }
    const number = [...counted].filter((k) => k <= i).length;
    try {
      if (!(await step.run(state, { step: number, totalSteps: counted.size }))) return undefined;
      shown.push(i);
      i++;
    } catch (err) {
      if ((err as Error | undefined)?.name !== 'GoBack') throw err;
      const previous = shown.pop();
      if (previous === undefined) return undefined;
      i = previous;
    }
  }
  return state;
}
