import assert from 'node:assert/strict';
import { runWizard, type WizardStep } from '../../../src/ui/wizard';

const back = () => Object.assign(new Error('Back'), { name: 'GoBack' });

describe('commands/wizard: steps with Back', () => {
  interface S {
    log: string[];
    kind?: string;
  }
  /** A step answering from a script: a value, 'BACK', or undefined (dismissed). */
  function step(name: string, script: (string | undefined)[], skip?: (s: S) => boolean): WizardStep<S> {
    return {
      skip,
      async run(s, at) {
        s.log.push(`${name} ${at.step}/${at.totalSteps}`);
        const answer = script.shift();
        if (answer === 'BACK') throw back();
        if (answer === undefined) return false;
        if (name === 'kind') s.kind = answer;
        return true;
      },
    };
  }

  it('runs every step in order with step/total', async () => {
    const state = await runWizard<S>({ log: [] }, [step('a', ['x']), step('b', ['y']), step('c', ['z'])]);
    assert.deepEqual(state?.log, ['a 1/3', 'b 2/3', 'c 3/3']);
  });

  it('Back returns to the previous shown step, skipping skipped ones; a counted step keeps its number, so the total never shrinks', async () => {
    const state = await runWizard<S>({ log: [] }, [
      step('kind', ['one', 'two', 'two']),
      step('spec', ['BACK', 'ok'], (s) => s.kind === 'one'),
      step('name', ['BACK', 'n']),
    ]);
    assert.deepEqual(state?.log, ['kind 1/3', 'name 3/3', 'kind 1/3', 'spec 2/3', 'kind 1/3', 'spec 2/3', 'name 3/3']);
    assert.equal(state?.kind, 'two');
  });

  it('a step that appears after an answer adds to the total; one skipped from the start is never counted', async () => {
    const state = await runWizard<S>({ log: [] }, [
      step('kind', ['more']),
      step('never', [], () => true),
      step('extra', ['x'], (s) => s.kind !== 'more'),
      step('name', ['n']),
    ]);
    assert.deepEqual(state?.log, ['kind 1/2', 'extra 2/3', 'name 3/3']);
  });

  it('a dismissed step ends the wizard with undefined; Back on the first step too', async () => {
    assert.equal(await runWizard<S>({ log: [] }, [step('a', ['x']), step('b', [undefined])]), undefined);
    assert.equal(await runWizard<S>({ log: [] }, [step('a', ['BACK'])]), undefined);
  });

  it('other errors propagate', async () => {
    const failing: WizardStep<S> = { run: () => Promise.reject(new Error('boom')) };
    await assert.rejects(runWizard<S>({ log: [] }, [failing]), /boom/);
  });
});
