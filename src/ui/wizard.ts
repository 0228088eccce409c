// runWizard: steps in order, each a prompt; the prompter's Back button (GoBack) returns to the
// previous step that was shown, with the answers so far kept in the state (so prompts can prefill).
// Steps may be skipped for the current state (e.g. "key spec" when the key type has only one).
import type { StepOptions } from './stepPrompts';

export interface WizardStep<S> {
  /** Skipped (and not counted) when true for the current state. */
  skip?(state: S): boolean;
  /** Asks, stores the answer in state; false when the user dismissed the prompt (the wizard ends). */
  run(state: S, at: Required<StepOptions>): Promise<boolean>;
}

/** The completed state, or undefined when the user dismissed a step. */
export async function runWizard<S>(state: S, steps: readonly WizardStep<S>[]): Promise<S | undefined> {
  const shown: number[] = [];
  let i = 0;
  while (i < steps.length) {
    const step = steps[i];
    if (step.skip?.(state)) {
      i++;
      continue;
    }
    const visible = steps.filter((s) => !s.skip?.(state));
    try {
      if (!(await step.run(state, { step: shown.length + 1, totalSteps: visible.length }))) return undefined;
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
