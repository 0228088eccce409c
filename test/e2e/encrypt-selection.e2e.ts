// UI test: the KMS Explorer sidebar lists the sandbox's demo keys, and Encrypt/Decrypt
// Selection from the command palette round-trip the editor text in place.
import * as assert from 'node:assert/strict';
import { SAMPLE_TEXT } from '../../scripts/workspace.mjs';
import { useWorkbench, type Workbench } from './support/workbench';

const DEMO_ALIAS = 'alias/demo-app';
const BASE64_CIPHERTEXT = /^[A-Za-z0-9+/]{100,}={0,2}$/;

describe('KMS Explorer in VS Code (UI)', function () {
  const workbench = useWorkbench();
  let wb: Workbench;

  beforeEach(() => {
    wb = workbench();
  });

  it('shows the sandbox keys in the KMS Explorer sidebar', async () => {
    await wb.openViewContainer('KMS Explorer');
    const keys = wb.view('Keys');
    await keys.waitFor({ state: 'visible', timeout: 30_000 });
    const demoKey = wb.treeItem(new RegExp(DEMO_ALIAS), keys).first();
    await demoKey.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('e2e-keys-view');
    assert.ok(await demoKey.isVisible(), `${DEMO_ALIAS} is listed in the Keys view`);
  });

  it('encrypts the selected text in place and decrypts it back', async () => {
    const original = SAMPLE_TEXT.split('\n')[0];
    await wb.openFile('sample.txt');
    assert.equal(await wb.editorLine(1), original);

    await wb.selectLine(1);
    await wb.runCommand('KMS: Encrypt Selection');
    await wb.pickQuickPickItem(DEMO_ALIAS);
    const ciphertext = await wb.waitForEditorLine(1, (line) => line !== original && line.length > 0);
    assert.match(ciphertext, BASE64_CIPHERTEXT, 'line 1 became base64 ciphertext');
    assert.ok(!ciphertext.includes(original));
    assert.equal(await wb.editorLine(2), SAMPLE_TEXT.split('\n')[1], 'the unselected line is untouched');
    await wb.screenshot('e2e-encrypted');

    await wb.selectLine(1);
    await wb.runCommand('KMS: Decrypt Selection');
    const decrypted = await wb.waitForEditorLine(1, (line) => line === original || !BASE64_CIPHERTEXT.test(line));
    assert.equal(decrypted, original, 'decryption restored the original text');
    await wb.screenshot('e2e-decrypted');
  });
});
