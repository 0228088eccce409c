// Who can use a key, inside VS Code on the embedded sandbox: the Access node for the default policy, a console-style
// policy (administrators and users), an encryption-context condition and a grant; an entry opening its statement;
// KMS: Check Access… (Allowed / Denied (explicit) / Denied (nothing allows) with the deciding statement or grant,
// IAM identity policies through SimulatePrincipalPolicy; a prefill's Region); the policy-change preview before
// PutKeyPolicy; and the Create Key wizard's permission steps writing the console's statements.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateGrantCommand, GetKeyPolicyCommand, ListAliasesCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import type { CheckAccessResult } from '../../src/commands/access';
import { CONSOLE_ADMIN_ACTIONS, CONSOLE_DELETION_ACTIONS } from '../../src/policy/consolePolicy';
import { keyPart, label } from './support/tree';
import { newKey, useExtension } from './support/extension';
import { sandboxClient } from './support/sandboxClient';
import type { ScriptedPrompter } from './support/scriptedPrompter';
import { closeAllEditors } from './support/editors';
import { waitFor } from '../support/wait';

describe('Access to a key', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let iam: IAMClient;
  let account: string;
  const stamp = Date.now().toString(36);
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}-${stamp}`;
  const ROLES = ['Admins', 'App', 'Billing', 'Worker', 'Reader'];

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    const { connection } = await api.services.connections.get();
    const s = connection.settings;
    if (s.kind !== 'sandbox') throw new Error('sandbox expected');
    iam = new IAMClient({
      endpoint: s.endpoint,
      region: s.region,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
      maxAttempts: 1,
    });
    const probe = await newKey(client);
    const policy = (await client.send(new GetKeyPolicyCommand({ KeyId: probe, PolicyName: 'default' }))).Policy!;
    account = JSON.parse(policy).Statement[0].Principal.AWS.split(':')[4];
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
    });
    for (const r of ROLES)
      await iam.send(new CreateRoleCommand({ RoleName: `${r}-${stamp}`, AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: `Reader-${stamp}`,
        PolicyName: 'decrypt-anything',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
        }),
      }),
    );
  });
  after(() => iam?.destroy());
  afterEach(() => closeAllEditors());

  const root = () => ({
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'kms:*',
    Resource: '*',
  });
  const consolePolicy = () => ({
    Version: '2012-10-17',
    Statement: [
      root(),
      {
        Sid: 'Allow access for Key Administrators',
        Effect: 'Allow',
        Principal: { AWS: role('Admins') },
        Action: [...CONSOLE_ADMIN_ACTIONS, ...CONSOLE_DELETION_ACTIONS],
        Resource: '*',
      },
      {
        Sid: 'Allow use of the key',
        Effect: 'Allow',
        Principal: { AWS: role('App') },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
      },
      {
        Sid: 'BillingOnly',
        Effect: 'Allow',
        Principal: { AWS: role('Billing') },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
      },
      {
        Sid: 'NoDeleteForApp',
        Effect: 'Deny',
        Principal: { AWS: role('App') },
        Action: 'kms:ScheduleKeyDeletion',
        Resource: '*',
      },
    ],
  });
  async function keyWith(policy?: object): Promise<string> {
    const keyId = await newKey(client, policy ? { Policy: JSON.stringify(policy) } : {});
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    return keyId;
  }
  const tree = () => api.services.keysTree;
  const item = (n: TreeNode) => tree().getTreeItem(n);
  async function child(node: TreeNode, name: string): Promise<TreeNode> {
    const found = (await tree().getChildren(node)).find((n) => label(item(n)) === name);
    if (!found)
      throw new Error(
        `no ${name} under ${label(item(node))}: ${(await tree().getChildren(node)).map((n) => label(item(n))).join(', ')}`,
      );
    return found;
  }
  const labels = async (node: TreeNode) => (await tree().getChildren(node)).map((n) => label(item(n)));
  const described = async (node: TreeNode) =>
    (await tree().getChildren(node)).map((n) => `${label(item(n))} | ${String(item(n).description ?? '')}`);

  it('the default key policy: only "the account\'s IAM policies decide", with kms:* from its statement', async () => {
    const keyId = await keyWith();
    const access = await keyPart(api, keyId, 'Access');
    assert.deepEqual(await labels(access), ["The account's IAM policies decide"]);
    const group = await child(access, "The account's IAM policies decide");
    assert.deepEqual(await labels(group), [`this account (${account})`]);
    assert.deepEqual(await described(await child(group, `this account (${account})`)), [
      'kms:* (all operations) | statement "Enable IAM User Permissions"',
    ]);
  });

  it('a console-style policy: administrators, users (with an encryption-context condition) and the Deny; a grant', async () => {
    const keyId = await keyWith(consolePolicy());
    await client.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: role('Worker'),
        Operations: ['Encrypt', 'Decrypt'],
        Name: 'worker',
        Constraints: { EncryptionContextSubset: { tenant: 't1' } },
      }),
    );
    // The grant came after the key was listed: Refresh forgets the cached grants.
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const access = await keyPart(api, keyId, 'Access');
    assert.deepEqual(await labels(access), [
      "The account's IAM policies decide",
      'Key administrators',
      'Key users',
      'Explicitly denied',
      'Grants',
    ]);
    const admins = await child(access, 'Key administrators');
    assert.deepEqual(await labels(admins), [`role/Admins-${stamp}`]);
    const adminOps = await labels(await child(admins, `role/Admins-${stamp}`));
    for (const op of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DescribeKey'])
      assert.ok(adminOps.includes(op), op);
    assert.ok(!adminOps.includes('kms:Decrypt'));
    const users = await child(access, 'Key users');
    assert.deepEqual(await labels(users), [`role/App-${stamp}`, `role/Billing-${stamp}`]);
    assert.deepEqual(await described(await child(users, `role/Billing-${stamp}`)), [
      'kms:Decrypt | only with encryption context app=billing · statement "BillingOnly"',
    ]);
    const app = await labels(await child(users, `role/App-${stamp}`));
    assert.deepEqual(app.slice(0, 2), ['kms:Encrypt', 'kms:Decrypt']);
    const denied = await child(await child(access, 'Explicitly denied'), `role/App-${stamp}`);
    assert.deepEqual(await labels(denied), ['Denied: kms:ScheduleKeyDeletion']);
    const worker = await child(await child(access, 'Grants'), `role/Worker-${stamp}`);
    const grantEntries = await described(worker);
    assert.equal(grantEntries.length, 2);
    assert.match(grantEntries[0], /^kms:Encrypt \| only with encryption context including tenant=t1 · grant "worker" /);

    // Opening an entry selects its statement in the key policy document.
    const entry = (await tree().getChildren(await child(users, `role/Billing-${stamp}`)))[0];
    await vscode.commands.executeCommand(item(entry).command!.command, ...(item(entry).command!.arguments ?? []));
    const editor = await waitFor('the policy document', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'kms-policy' && !e.selection.isEmpty ? e : undefined;
    });
    assert.equal(JSON.parse(editor.document.getText(editor.selection)).Sid, 'BillingOnly');
  });

  async function check(keyId: string, principal: string, action: string, context?: string): Promise<CheckAccessResult> {
    if (context !== undefined) prompter.answerInput('checkAccess.context', context);
    const r = await vscode.commands.executeCommand<CheckAccessResult>('kmsExplorer.checkAccess', {
      principalArn: principal,
      action,
      keyId,
    });
    assert.ok(r, 'Check Access answered');
    return r;
  }

  it('Check Access: Allowed, Denied (explicit), Denied (nothing allows), by a grant and by an IAM policy', async () => {
    const keyId = await keyWith(consolePolicy());
    await client.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: role('Worker'), Operations: ['Encrypt'], Name: 'w' }),
    );
    const app = await check(keyId, role('App'), 'kms:Decrypt', '');
    assert.equal(app.title, 'Allowed');
    assert.equal(app.iamIncluded, true);
    assert.deepEqual(app.reasons[0].source, { kind: 'statement', index: 2, sid: 'Allow use of the key' });
    assert.match(prompter.lastMessage()!.text, /^Allowed: .*role\/App-.*kms:Decrypt.*"Allow use of the key"/);
    assert.deepEqual(prompter.lastMessage()!.actions, ['Show Statement']);

    const del = await check(keyId, role('App'), 'kms:ScheduleKeyDeletion');
    assert.equal(del.title, 'Denied (explicit)');
    assert.deepEqual(del.reasons[0].source, { kind: 'statement', index: 4, sid: 'NoDeleteForApp' });

    const noContext = await check(keyId, role('Billing'), 'kms:Decrypt', '');
    assert.equal(noContext.title, 'Denied (nothing allows)');
    const billing = await check(keyId, role('Billing'), 'kms:Decrypt', 'app=billing');
    assert.equal(billing.title, 'Allowed');
    assert.equal(billing.reasons[0].source?.kind === 'statement' && billing.reasons[0].source.sid, 'BillingOnly');

    const worker = await check(keyId, role('Worker'), 'kms:Encrypt', '');
    assert.equal(worker.title, 'Allowed');
    assert.equal(worker.reasons[0].source?.kind, 'grant');

    const reader = await check(keyId, role('Reader'), 'kms:Decrypt', '');
    assert.equal(reader.title, 'Allowed');
    assert.match(reader.reasons.map((r) => r.words).join(' '), /"Enable IAM User Permissions".*"decrypt-anything"/);
    const readerEncrypt = await check(keyId, role('Reader'), 'kms:Encrypt', '');
    assert.equal(readerEncrypt.title, 'Denied (nothing allows)');
  });

  it("Check Access with a prefill's Region: a key id is found in that Region; a bad Region is refused", async () => {
    const home = (await api.services.connections.get()).connection.region;
    const region = home === 'eu-west-1' ? 'eu-west-2' : 'eu-west-1';
    const regional = await sandboxClient(api, region);
    const keyId = await newKey(regional, { Policy: JSON.stringify(consolePolicy()) }).finally(() => regional.destroy());
    prompter.answerInput('checkAccess.context', '');
    const r = await vscode.commands.executeCommand<CheckAccessResult>('kmsExplorer.checkAccess', {
      principalArn: role('App'),
      action: 'kms:Decrypt',
      keyId,
      region,
    });
    assert.equal(r?.keyId, keyId, prompter.lastMessage()?.text);
    assert.equal(r.title, 'Allowed');
    assert.deepEqual(r.reasons[0].source, { kind: 'statement', index: 2, sid: 'Allow use of the key' });
    assert.match(prompter.lastMessage()!.text, new RegExp(`^Allowed: .*kms:Decrypt on .*${keyId}`));

    const bad = await vscode.commands.executeCommand('kmsExplorer.checkAccess', {
      principalArn: role('App'),
      action: 'kms:Decrypt',
      keyId,
      region: 'Mars',
    });
    assert.equal(bad, undefined);
    assert.match(prompter.lastMessage()!.text, /"Mars" is not an AWS Region name\. Nothing was checked\./);
  });

  it('Check Access from the palette: picks the principal from IAM roles and the operation', async () => {
    const keyId = await keyWith(consolePolicy());
    prompter
      .answerPick('checkAccess.principal', `role/App-${stamp}`)
      .answerPick('checkAccess.action', 'kms:Encrypt')
      .answerInput('checkAccess.context', 'app=x');
    const r = await vscode.commands.executeCommand<CheckAccessResult>('kmsExplorer.checkAccess', keyId);
    assert.equal(r?.title, 'Allowed');
    const offered = prompter.recorded.picks.find((p) => p.id === 'checkAccess.principal')!.labels;
    for (const name of ROLES) assert.ok(offered.includes(`role/${name}-${stamp}`), name);
  });

  it('the policy-change preview lists exactly what is gained and lost; declining keeps the text unsaved', async () => {
    const keyId = await keyWith(consolePolicy());
    await vscode.commands.executeCommand('kmsExplorer.openKeyPolicy', await keyPart(api, keyId, 'Key policy'));
    const editor = await waitFor('the policy editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'kms-policy' ? e : undefined;
    });
    const next = consolePolicy();
    next.Statement.splice(2, 1);
    next.Statement.push({
      Sid: 'Public',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Encrypt',
      Resource: '*',
    });
    const text = JSON.stringify(next, null, 2);
    const doc = editor.document;
    await editor.edit((b) =>
      b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text),
    );
    const policyNow = async () =>
      (await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!;
    const before = await policyNow();

    prompter.answerInput('keyPolicy.accessChange', undefined);
    await vscode.commands.executeCommand('kmsExplorer.saveKeyPolicy');
    const [asked] = prompter.recorded.confirms;
    assert.equal(asked.id, 'keyPolicy.accessChange');
    assert.match(asked.message, /changes who may use it — public access: anyone in any AWS account/);
    assert.deepEqual(asked.detail!.split('\n'), [
      `role/App-${stamp} loses kms:Encrypt, kms:Decrypt, kms:ReEncryptFrom, kms:ReEncryptTo, kms:GenerateDataKey, kms:GenerateDataKeyWithoutPlaintext, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:DescribeKey`,
      '* (anyone) gains kms:Encrypt — public access: anyone in any AWS account',
    ]);
    assert.equal(doc.isDirty, true);
    assert.equal(await policyNow(), before, 'nothing was sent');
    assert.match(prompter.lastMessage()!.text, /Not saved/);

    prompter.answerInput('keyPolicy.accessChange', 'Save Key Policy');
    await vscode.commands.executeCommand('kmsExplorer.saveKeyPolicy');
    await waitFor('the save', () => !doc.isDirty);
    assert.deepEqual(JSON.parse(await policyNow()), next);
  });

  it("the Create Key wizard's permission steps write the console's statements", async () => {
    const alias = `alias/it-access-${stamp}`;
    prompter
      .answerPick('createKey.type', 'Symmetric encryption')
      .answerInput('createKey.alias', alias)
      .answerInput('createKey.description', '')
      .answerInput('createKey.tags', '')
      .answerPick('createKey.origin', /Multi-Region key: import/)
      .answerPickMany('createKey.admins', [`role/Admins-${stamp}`])
      .answerPickMany('createKey.users', [`role/App-${stamp}`, 'Other AWS accounts…'])
      .answerInput('createKey.otherAccounts', '444455556666');
    await vscode.commands.executeCommand('kmsExplorer.createKey');
    const aliases = (await client.send(new ListAliasesCommand({}))).Aliases ?? [];
    const keyId = aliases.find((a) => a.AliasName === alias)?.TargetKeyId;
    assert.ok(keyId, 'the key was created');
    const policy = JSON.parse(
      (await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!,
    );
    assert.equal(policy.Id, 'key-consolepolicy-3');
    assert.deepEqual(
      policy.Statement.map((s: { Sid: string; Principal: { AWS: unknown } }) => [s.Sid, s.Principal.AWS]),
      [
        ['Enable IAM User Permissions', `arn:aws:iam::${account}:root`],
        ['Allow access for Key Administrators', role('Admins')],
        ['Allow use of the key', [role('App'), 'arn:aws:iam::444455556666:root']],
        ['Allow attachment of persistent resources', [role('App'), 'arn:aws:iam::444455556666:root']],
      ],
    );
    // "Allow key administrators to delete this key" was not chosen: no deletion; an EXTERNAL multi-Region key:
    // import, replication and primary Region changes.
    assert.deepEqual(policy.Statement[1].Action, [
      ...CONSOLE_ADMIN_ACTIONS,
      'kms:ImportKeyMaterial',
      'kms:ReplicateKey',
      'kms:UpdatePrimaryRegion',
      'kms:RotateKeyOnDemand',
    ]);
    assert.deepEqual(policy.Statement[2].Action, [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:DescribeKey',
    ]);
    assert.deepEqual(policy.Statement[3].Condition, { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });
});
