// The command table and the connection commands inside VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DisableKeyCommand } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_ID, useExtension } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';
import { sandboxClient } from './support/sandboxClient';
import { waitFor } from '../support/wait';

describe('commands and connection', () => {
  let api: ExtensionApi;
  let prompter: ScriptedPrompter;

  useExtension((e) => ({ api, prompter } = e));

  it('registers every command package.json contributes', async () => {
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]
    ).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
  });

  it('connects to the embedded sandbox started inside the extension host', async () => {
    const { connection } = await api.services.connections.get();
    assert.equal(connection.settings.kind, 'sandbox');
    assert.equal(connection.label, 'KMS sandbox');
    assert.match(connection.settings.endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(api.services.connections.state.status, 'connected');
  });

  it('"Select Connection" offers the sandbox and the default chain, and keeps the sandbox when chosen', async () => {
    prompter.answerPick('connection.select', /Local KMS sandbox/);
    await vscode.commands.executeCommand('kmsExplorer.selectConnection');
    const [pick] = prompter.recorded.picks;
    assert.ok(pick.labels.some((l) => /Local KMS sandbox/.test(l)));
    assert.ok(pick.labels.some((l) => /Default credential chain/.test(l)));
    assert.equal(vscode.workspace.getConfiguration('kmsExplorer').get('connection'), 'sandbox');
    const roots = await api.services.keysTree.getChildren();
    assert.equal(roots.length, 2, 'the tree lists the sandbox again');
  });

  it('with an AWS profile that has no credentials: no tree items (welcome content), no exception; back to the sandbox', async () => {
    const config = vscode.workspace.getConfiguration('kmsExplorer');
    try {
      await config.update('profile', 'kms-explorer-no-such-profile', vscode.ConfigurationTarget.Global);
      await config.update('region', 'us-east-1', vscode.ConfigurationTarget.Global);
      await config.update('connection', 'aws', vscode.ConfigurationTarget.Global);
      await waitFor('the aws connection', () => api.services.connections.config.connection === 'aws', 5000);
      const roots = await api.services.keysTree.getChildren();
      assert.deepEqual(roots, [], 'empty, so the viewsWelcome content shows');
      assert.equal(api.services.connections.state.status, 'noCredentials');
      assert.deepEqual(await api.services.aliasesTree.getChildren(), []);
    } finally {
      await config.update('connection', 'sandbox', vscode.ConfigurationTarget.Global);
      await config.update('profile', undefined, vscode.ConfigurationTarget.Global);
      await config.update('region', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the sandbox connection', () => api.services.connections.config.connection === 'sandbox', 5000);
    await vscode.commands.executeCommand('kmsExplorer.useSandbox');
    const roots = await api.services.keysTree.getChildren();
    assert.equal(roots.length, 2);
    assert.equal(api.services.connections.state.status, 'connected');
  });

  it('"Select Connection" → default credential chain asks for a region when none is configured, and writes the settings', async () => {
    const config = () => vscode.workspace.getConfiguration('kmsExplorer');
    const regionKnown = !!(process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION);
    prompter.answerPick('connection.select', /Default credential chain/).answerInput('connection.region', 'eu-west-3');
    try {
      await vscode.commands.executeCommand('kmsExplorer.selectConnection');
      assert.deepEqual(prompter.recorded.messages, []);
      assert.equal(config().get('connection'), 'aws');
      assert.equal(config().get('profile'), '');
      if (!regionKnown) assert.equal(config().get('region'), 'eu-west-3');
    } finally {
      await config().update('connection', 'sandbox', vscode.ConfigurationTarget.Global);
      await config().update('profile', undefined, vscode.ConfigurationTarget.Global);
      await config().update('region', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the sandbox connection', () => api.services.connections.config.connection === 'sandbox', 5000);
    assert.equal((await api.services.keysTree.getChildren()).length, 2, 'back on the sandbox');
  });

  it('"Enable Key" from the palette picks among disabled keys and enables one', async () => {
    prompter.answerPick('enableKey.key', 'alias/demo-archived');
    await vscode.commands.executeCommand('kmsExplorer.enableKey');
    const message = prompter.lastMessage();
    assert.equal(message?.text, 'Enabled alias/demo-archived.');
    const { catalog } = await api.services.connections.get();
    const key = (await catalog.keys()).find((k) => k.aliases.includes('alias/demo-archived'));
    assert.equal(key?.status === 'ok' && key.metadata.KeyState, 'Enabled');
    const client = await sandboxClient(api);
    await client.send(new DisableKeyCommand({ KeyId: key!.arn }));
    client.destroy();
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });
});
