// "KMS: Open Sandbox Terminal" inside VS Code: the terminal's environment points the real AWS
// CLI v2 at the extension's own embedded sandbox (a key created through the SDK is described, and text the
// CLI encrypts is decrypted through the SDK), and what it prints holds no credentials.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension, newKey } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';
import { sandboxClient } from './support/sandboxClient';
import { waitFor } from '../support/wait';

// Debian's AWS CLI v2 (the PATH's first aws may be another one). It is 2.9: AWS_ENDPOINT_URL_KMS needs 2.13+,
// so the commands pass --endpoint-url as the terminal's banner suggests.
const AWS_CLI = '/usr/bin/aws';

describe('Open Sandbox Terminal', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let terminal: vscode.Terminal | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-it-terminal-'));

  before(async () => {
    api = await activateExtension();
    client = await sandboxClient(api);
    api.setPrompter(new ScriptedPrompter());
  });
  after(() => {
    terminal?.dispose();
    api.setPrompter(undefined);
    client?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens a terminal whose environment is the running sandbox; the banner has no secret', async () => {
    terminal = await vscode.commands.executeCommand<vscode.Terminal>('kmsExplorer.openSandboxTerminal');
    assert.ok(terminal, 'the command returns the terminal');
    const s = (await api.services.connections.get()).connection.settings;
    assert.equal(s.kind, 'sandbox');
    if (s.kind !== 'sandbox') return;
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(terminal.name, 'KMS Sandbox');
    assert.deepEqual(
      [
        options.env?.AWS_ACCESS_KEY_ID,
        options.env?.AWS_SECRET_ACCESS_KEY,
        options.env?.AWS_REGION,
        options.env?.AWS_DEFAULT_REGION,
        options.env?.AWS_ENDPOINT_URL_KMS,
        options.env?.KMS_SANDBOX_ENDPOINT,
      ],
      [s.accessKeyId, s.secretAccessKey, s.region, s.region, s.endpoint, s.endpoint],
    );
    assert.equal(options.env?.AWS_SESSION_TOKEN, null);
    assert.equal(options.env?.AWS_PROFILE, null);
    const banner = (options as { message?: string }).message ?? '';
    assert.ok(banner.includes(s.endpoint));
    assert.ok(!banner.includes(s.secretAccessKey) && !banner.includes(s.accessKeyId), 'no credentials printed');
  });

  it('the AWS CLI in that terminal works against the same sandbox (credentials and region from the environment, --endpoint-url "$KMS_SANDBOX_ENDPOINT")', async function () {
    if (!fs.existsSync(AWS_CLI)) this.skip();
    assert.ok(terminal);
    const keyId = await newKey(client, { Description: 'terminal it' });
    const described = path.join(dir, 'arn.txt');
    const encrypted = path.join(dir, 'ct.txt');
    terminal.sendText(
      `${AWS_CLI} kms describe-key --key-id ${keyId} --endpoint-url "$KMS_SANDBOX_ENDPOINT" --query KeyMetadata.Arn --output text > ${described}.tmp && mv ${described}.tmp ${described}`,
    );
    terminal.sendText(
      `${AWS_CLI} kms encrypt --endpoint-url "$KMS_SANDBOX_ENDPOINT" --key-id ${keyId} --plaintext aGVsbG8= --query CiphertextBlob --output text > ${encrypted}.tmp && mv ${encrypted}.tmp ${encrypted}`,
    );
    const arn = await waitFor(
      'the CLI describe-key output',
      () => (fs.existsSync(described) ? fs.readFileSync(described, 'utf8').trim() : undefined),
      45_000,
    );
    assert.match(arn, new RegExp(`:key/${keyId}$`));
    const ct = await waitFor(
      'the CLI encrypt output',
      () => (fs.existsSync(encrypted) ? fs.readFileSync(encrypted, 'utf8').trim() : undefined),
      45_000,
    );
    const out = await client.send(new DecryptCommand({ CiphertextBlob: Buffer.from(ct, 'base64') }));
    assert.equal(Buffer.from(out.Plaintext!).toString(), 'hello');
  });
});
