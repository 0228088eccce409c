// Grants inside VS Code against the embedded sandbox: Create Grant from the Grants folder
// (grantee validated, operations multi-select, name, context constraint; token shown once and copied),
// the folder refreshed with the grant, Retire / Revoke from the grant node (confirmed), and refusals.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EncryptCommand, ListGrantsCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import { keyPart, label } from './support/tree';
import { useExtension, newKey } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';

const GRANTEE = 'arn:aws:iam::111122223333:role/Reader';

describe('Grants', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let keyId: string;

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    keyId = await newKey(client, { Description: 'grants it' });
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });

  const grants = async () => (await client.send(new ListGrantsCommand({ KeyId: keyId }))).Grants ?? [];
  const grantNodes = async () => {
    const tree = api.services.keysTree;
    return (await tree.getChildren(await keyPart(api, keyId, 'Grants'))).filter(
      (n): n is Extract<TreeNode, { kind: 'grant' }> => n.kind === 'grant',
    );
  };

  /** Scripts the Create Grant wizard without retiring principal, name or constraint. */
  const scriptPlainGrant = (grantee: string, operations: string[]) =>
    prompter
      .answerInput('createGrant.grantee', grantee)
      .answerPickMany('createGrant.operations', operations)
      .answerInput('createGrant.retiring', '')
      .answerInput('createGrant.name', '')
      .answerPick('createGrant.constraint', 'No constraint');

  it('creates a grant from the Grants folder; the token is offered once and copied; the folder lists the grant', async () => {
    assert.equal((await grantNodes()).length, 0);
    prompter
      .answerInput('createGrant.grantee', GRANTEE)
      .answerPickMany('createGrant.operations', ['Encrypt', 'Decrypt'])
      .answerInput('createGrant.retiring', 'arn:aws:iam::111122223333:role/Ops')
      .answerInput('createGrant.name', 'it-reader')
      .answerPick('createGrant.constraint', 'Encryption context subset')
      .answerInput('createGrant.context', 'app=billing');
    prompter.messageAction = 'Copy Grant Token';
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('kmsExplorer.createGrant', await keyPart(api, keyId, 'Grants'));

    const [g] = await grants();
    assert.equal(g?.GranteePrincipal, GRANTEE);
    assert.deepEqual([...(g.Operations ?? [])].sort(), ['Decrypt', 'Encrypt']);
    assert.equal(g.RetiringPrincipal, 'arn:aws:iam::111122223333:role/Ops');
    assert.equal(g.Name, 'it-reader');
    assert.deepEqual(g.Constraints?.EncryptionContextSubset, { app: 'billing' });
    assert.ok(
      prompter.inputs.every((i) => i.problem === undefined),
      'every answer passed validation',
    );
    // The operations offered fit a symmetric key.
    const offered = prompter.recorded.picks.find((p) => p.id === 'createGrant.operations')!.labels;
    assert.ok(offered.includes('GenerateDataKey') && !offered.includes('Sign'));
    // The token was shown once (not in the text) and copied on request; it works at once.
    const message = prompter.recorded.messages.find((m) => m.actions.includes('Copy Grant Token'));
    assert.ok(message, 'a message offers to copy the token');
    const token = await vscode.env.clipboard.readText();
    assert.ok(token.length > 20 && !message.text.includes(token), 'the token is copied, not printed');
    const out = await client.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        GrantTokens: [token],
        EncryptionContext: { app: 'billing' },
      }),
    );
    assert.ok(out.CiphertextBlob);

    const nodes = await grantNodes();
    assert.equal(nodes.length, 1);
    const item = api.services.keysTree.getTreeItem(nodes[0]);
    assert.equal(label(item), GRANTEE);
    assert.match(String(item.description), /Encrypt/);
    assert.equal(item.contextValue, 'grant.customer');
    assert.match((item.tooltip as vscode.MarkdownString).value, /Context subset.*app.*billing/);
  });

  it('refuses a grantee that is not a principal (the prompt said so as it was typed); no grant is created', async () => {
    const before = (await grants()).length;
    scriptPlainGrant('alice', ['Decrypt']);
    await vscode.commands.executeCommand('kmsExplorer.createGrant', keyId);
    assert.match(prompter.inputs[0].problem ?? '', /must be an ARN/);
    assert.match(prompter.lastMessage()?.text ?? '', /must be an ARN.*No grant was created/);
    assert.equal((await grants()).length, before);
  });

  it('retires a grant from its node after confirmation; revoke asks first and a "no" changes nothing', async () => {
    scriptPlainGrant('dynamodb.amazonaws.com', ['DescribeKey']);
    await vscode.commands.executeCommand('kmsExplorer.createGrant', keyId);
    assert.equal((await grants()).length, 2);

    const [first, second] = await grantNodes();
    prompter.answerInput('revokeGrant.confirm', undefined);
    await vscode.commands.executeCommand('kmsExplorer.revokeGrant', first);
    assert.equal((await grants()).length, 2, 'not confirmed: nothing revoked');

    prompter.answerInput('retireGrant.confirm', 'Retire grant');
    await vscode.commands.executeCommand('kmsExplorer.retireGrant', first);
    prompter.answerInput('revokeGrant.confirm', 'Revoke grant');
    await vscode.commands.executeCommand('kmsExplorer.revokeGrant', second);
    assert.deepEqual(await grants(), []);
    assert.deepEqual(
      (await api.services.keysTree.getChildren(await keyPart(api, keyId, 'Grants'))).map((n) =>
        label(api.services.keysTree.getTreeItem(n)),
      ),
      ['No grants'],
    );
  });

  it('retires a grant by a pasted token', async () => {
    scriptPlainGrant(GRANTEE, ['Encrypt']);
    prompter.messageAction = 'Copy Grant Token';
    await vscode.commands.executeCommand('kmsExplorer.createGrant', keyId);
    assert.equal((await grants()).length, 1);
    prompter
      .answerInput('retireGrantByToken.token', await vscode.env.clipboard.readText())
      .answerInput('retireGrantByToken.confirm', 'Retire grant');
    await vscode.commands.executeCommand('kmsExplorer.retireGrantByToken');
    assert.deepEqual(await grants(), []);
  });

  it('offers no grant changes on an AWS managed key (guard in the handler)', async function () {
    const { catalog } = await api.services.connections.get();
    const aws = (await catalog.keys()).find((k) => k.status === 'ok' && k.metadata.KeyManager === 'AWS');
    if (!aws) this.skip();
    await vscode.commands.executeCommand('kmsExplorer.createGrant', aws.arn);
    assert.match(prompter.lastMessage()?.text ?? '', /AWS managed key/);
    assert.deepEqual((await client.send(new ListGrantsCommand({ KeyId: aws.keyId }))).Grants ?? [], []);
  });
});
