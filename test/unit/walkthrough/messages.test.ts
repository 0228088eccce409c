import assert from 'node:assert/strict';
import { LIMITS, STEP_IDS } from '../../../src/walkthrough/catalog';
import { defaultInputs } from '../../../src/walkthrough/inputs';
import { validateFromWebview } from '../../../src/walkthrough/messages';

const inputs = defaultInputs(new Date('2026-11-22T07:45:12Z'), {
  keyId: 'k',
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
  accountId: '111122223333',
  partition: 'aws',
  region: 'us-east-1',
});

function refused(message: unknown): string {
  const result = validateFromWebview(message);
  assert.equal(result.ok, false, `expected refusal of ${JSON.stringify(message)}`);
  return (result as { reason: string }).reason;
}

describe('walkthrough messages from the webview', () => {
  it('accepts every well-formed message', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'startOver' },
      { type: 'cancelDeletion' },
      { type: 'reveal', secretId: '2f1c1d0e-1111-4a4a-8b8b-123456789abc' },
      { type: 'scheduleDeletion', pendingWindowInDays: 7 },
      { type: 'scheduleDeletion', pendingWindowInDays: 30 },
      { type: 'runAll', inputs },
      { type: 'cspViolation', directive: 'script-src-elem' },
      ...STEP_IDS.map((step) => ({ type: 'run', step, inputs: inputs[step] })),
    ];
    for (const m of good) assert.deepEqual(validateFromWebview(m), { ok: true, value: m }, JSON.stringify(m));
  });

  it('refuses non-objects and unknown types', () => {
    for (const m of [
      null,
      undefined,
      42,
      'run',
      [],
      [{ type: 'ready' }],
      { type: 1 },
      { type: 'eval' },
      { type: 'RUN' },
      {},
    ])
      refused(m);
    assert.equal(refused({ type: 'deleteEverything' }), 'unknown message type');
  });

  it('refuses an unknown step and a step id of the wrong type', () => {
    assert.match(refused({ type: 'run', step: 'deleteKey', inputs: {} }), /unknown step/);
    refused({ type: 'run', step: 3, inputs: {} });
    refused({ type: 'run', step: ['createKey'], inputs: inputs.createKey });
    refused({ type: 'run', step: 'constructor', inputs: {} });
    refused({ type: 'run', step: '__proto__', inputs: {} });
  });

  it('refuses wrong types in inputs', () => {
    refused({ type: 'run', step: 'createKey', inputs: { description: 1, alias: 'alias/x' } });
    refused({ type: 'run', step: 'grantsPolicy', inputs: { ...inputs.grantsPolicy, addStatement: 'true' } });
    refused({ type: 'run', step: 'rotation', inputs: { rotationPeriodInDays: '365' } });
    refused({ type: 'run', step: 'rotation', inputs: { rotationPeriodInDays: 365.5 } });
    refused({ type: 'run', step: 'rotation', inputs: { rotationPeriodInDays: Number.NaN } });
    refused({ type: 'run', step: 'encryptDecrypt', inputs: { message: { toString: 'x' } } });
    refused({ type: 'run', step: 'encryptDecrypt', inputs: null });
    refused({ type: 'run', step: 'encryptDecrypt', inputs: ['hello'] });
    refused({ type: 'scheduleDeletion', pendingWindowInDays: '7' });
    refused({ type: 'reveal', secretId: 12 });
    refused({ type: 'cspViolation', directive: '<img src=x onerror=alert(1)>' });
    refused({ type: 'cspViolation', directive: 'script-src https://evil.example' });
  });

  it('refuses out-of-range numbers', () => {
    refused({ type: 'run', step: 'rotation', inputs: { rotationPeriodInDays: LIMITS.rotationDays.min - 1 } });
    refused({ type: 'run', step: 'rotation', inputs: { rotationPeriodInDays: LIMITS.rotationDays.max + 1 } });
    refused({ type: 'scheduleDeletion', pendingWindowInDays: 6 });
    refused({ type: 'scheduleDeletion', pendingWindowInDays: 31 });
    refused({ type: 'scheduleDeletion', pendingWindowInDays: Infinity });
  });

  it('refuses oversized inputs', () => {
    assert.match(
      refused({ type: 'run', step: 'encryptDecrypt', inputs: { message: 'x'.repeat(LIMITS.messageBytes + 1) } }),
      /longer than/,
    );
    refused({
      type: 'run',
      step: 'createKey',
      inputs: { description: 'd'.repeat(LIMITS.descriptionChars + 1), alias: 'alias/x' },
    });
    refused({
      type: 'run',
      step: 'createKey',
      inputs: { description: '', alias: `alias/${'a'.repeat(LIMITS.aliasChars)}` },
    });
    refused({
      type: 'run',
      step: 'grantsPolicy',
      inputs: { ...inputs.grantsPolicy, statement: ' '.repeat(LIMITS.statementChars + 1) },
    });
    refused({
      type: 'run',
      step: 'tagsDeletion',
      inputs: { tagKey: 'k'.repeat(LIMITS.tagKeyChars + 1), tagValue: '' },
    });
    refused({ type: 'reveal', secretId: 'a'.repeat(65) });
    refused({
      type: 'runAll',
      inputs: { ...inputs, encryptDecrypt: { message: 'x'.repeat(LIMITS.messageBytes + 1) } },
    });
  });

  it('refuses extra and missing fields', () => {
    assert.match(refused({ type: 'ready', extra: true }), /unexpected field/);
    refused({ type: 'run', step: 'createKey', inputs: { ...inputs.createKey, KeySpec: 'RSA_4096' } });
    refused({ type: 'run', step: 'createKey', inputs: { description: 'x' } });
    refused({ type: 'run', step: 'enableKey', inputs: { keyId: 'someone-elses-key' } });
    refused({ type: 'run', step: 'createKey' });
    refused({ type: 'runAll', inputs: { ...inputs, deleteKey: {} } });
    const { rotation: _omitted, ...missing } = inputs;
    refused({ type: 'runAll', inputs: missing });
    refused({ type: 'reveal', secretId: 'abc', credentials: 'please' });
  });

  it('refuses prototype-pollution keys at every level', () => {
    for (const text of [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"type":"run","step":"createKey","inputs":{"description":"d","alias":"alias/x","__proto__":{"polluted":true}}}',
      '{"type":"runAll","inputs":{"__proto__":{"polluted":true}}}',
      '{"type":"ready","constructor":{"prototype":{"polluted":true}}}',
      '{"type":"run","step":"enableKey","inputs":{"prototype":{}}}',
    ]) {
      refused(JSON.parse(text));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses objects that are not plain data', () => {
    class Sneaky {
      type = 'ready';
    }
    refused(new Sneaky());
    refused(Object.create({ type: 'ready' }));
    refused({
      type: 'run',
      step: 'encryptDecrypt',
      inputs: new (class {
        message = 'hi';
      })(),
    });
    const withSymbol = { type: 'ready', [Symbol('x')]: 1 };
    refused(withSymbol);
  });

  it('accepts objects without a prototype (structured clone may produce them)', () => {
    const m = Object.assign(Object.create(null), { type: 'startOver' });
    assert.equal(validateFromWebview(m).ok, true);
  });
});
