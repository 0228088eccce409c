// The walkthrough's steps against a real sandbox over HTTP through the real SDK.
import assert from 'node:assert/strict';
import {
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { defaultInputs } from '../../../src/walkthrough/inputs';
import { MASK } from '../../../src/walkthrough/masking';
import type { StepInputs } from '../../../src/walkthrough/messages';
import { Scenario, freshProgress, type Progress } from '../../../src/walkthrough/scenario';
import { runStep } from '../../../src/walkthrough/steps';
import { waitFor } from '../../support/wait';
import { granteeAccess } from '../../../src/walkthrough/grantee';
import { connect, memorySecrets } from '../../../src/kms/connection';
import type { Services } from '../../../src/ui/services';
import { sandboxSettings } from '../../support/iam';

describe('walkthrough steps against the sandbox', function () {
  let t: TestSandbox;
  let saved: Progress[];
  let scenario: Scenario;
  const label = 'KMS sandbox';
  const now = new Date('2026-11-22T07:45:12Z');
  const inputs = (): StepInputs => defaultInputs(now, scenario.saved.key);

  beforeEach(async () => {
    t = await startTestSandbox();
    saved = [];
    scenario = new Scenario(freshProgress(now), (p) => saved.push(structuredClone(p)));
  });
  afterEach(async () => t.stop());

  it('step 1 creates a symmetric key and its alias, and records the calls', async () => {
    const outcome = await scenario.run('createKey', inputs().createKey, t.client, label);
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    const key = scenario.saved.key!;
    assert.match(key.keyArn, /^arn:aws:kms:us-east-1:\d{12}:key\//);
    assert.equal(key.aliasName, 'alias/getting-started-20261122-074512');
    const described = await t.client.send(new DescribeKeyCommand({ KeyId: key.aliasName }));
    assert.equal(described.KeyMetadata?.KeyId, key.keyId);
    assert.equal(described.KeyMetadata?.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(described.KeyMetadata?.Description, 'KMS Explorer getting-started key');
    assert.deepEqual(
      outcome.calls.map((c) => c.operation),
      ['CreateKey', 'CreateAlias'],
    );
    assert.equal((outcome.calls[0].response as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId, key.keyId);
    assert.equal(scenario.saved.steps.createKey.status, 'done');
    assert.equal(scenario.saved.connectionLabel, label);
    // The grantee default is built from the key's account.
    assert.equal(inputs().grantsPolicy.grantee, `arn:aws:iam::${key.accountId}:role/KmsGettingStartedRole`);
    // Saved before (running) and after (done).
    assert.deepEqual(
      saved.map((p) => p.steps.createKey.status),
      ['running', 'done'],
    );
  });

  it('step 1 is refused once done, so a second key is never created by accident', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const again = await scenario.run('createKey', { description: 'x', alias: 'alias/another' }, t.client, label);
    assert.equal(again?.ok, false);
    assert.match(again.error!.summary, /Start over/);
    const keys = await t.client.send(new ListKeysCommand({}));
    assert.equal(keys.Keys?.length, 1);
  });

  it('a taken alias fails step 1 with the reason, keeps the key, and a retry only adds the alias', async () => {
    const other = await runStep('createKey', { description: 'other', alias: 'alias/taken' }, { client: t.client });
    assert.ok(other.ok);
    const failed = await scenario.run('createKey', { description: 'mine', alias: 'alias/taken' }, t.client, label);
    assert.equal(failed?.ok, false);
    assert.equal(failed.error!.code, 'AlreadyExistsException');
    assert.match(failed.error!.summary, /already exists/);
    assert.equal(scenario.saved.steps.createKey.status, 'failed');
    assert.ok(scenario.saved.key?.keyId, 'the created key is kept');
    assert.equal(scenario.saved.key?.aliasName, undefined);
    const retry = await scenario.run('createKey', { description: 'mine', alias: 'alias/mine' }, t.client, label);
    assert.ok(retry?.ok);
    assert.deepEqual(
      retry.calls.map((c) => c.operation),
      ['CreateAlias'],
    );
    assert.equal((await t.client.send(new ListKeysCommand({}))).Keys?.length, 2);
    const aliases = await t.client.send(new ListAliasesCommand({ KeyId: scenario.saved.key.keyId }));
    assert.deepEqual(
      aliases.Aliases?.map((a) => a.AliasName),
      ['alias/mine'],
    );
  });

  it('bad input fails with a clear message and sends nothing', async () => {
    const outcome = await scenario.run('createKey', { description: 'd', alias: 'no-prefix' }, t.client, label);
    assert.equal(outcome?.ok, false);
    assert.equal(outcome.error!.code, 'InvalidInput');
    assert.match(outcome.error!.summary, /alias\//);
    assert.equal(outcome.calls.length, 0);
    assert.equal((await t.client.send(new ListKeysCommand({}))).Keys?.length, 0);
  });

  it('steps 2-6 ask for step 1 first', async () => {
    const outcome = await scenario.run('encryptDecrypt', inputs().encryptDecrypt, t.client, label);
    assert.equal(outcome?.error?.code, 'NoKey');
    assert.equal(outcome?.calls.length, 0);
  });

  it('step 2 shows the state and enables a disabled key', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const already = await scenario.run('enableKey', {}, t.client, label);
    assert.ok(already?.ok);
    assert.deepEqual(
      already.calls.map((c) => c.operation),
      ['DescribeKey'],
    );
    assert.equal(already.summary.find((s) => s.label === 'State before')?.value, 'Enabled');
    // Why no EnableKey call was made, and how to see one.
    assert.match(
      already.summary.find((s) => s.label === 'Action')!.value,
      /^No EnableKey call: .*Enabled, as CreateKey leaves a new key\. .*disable the key/,
    );

    await t.client.send(new DisableKeyCommand({ KeyId: scenario.saved.key!.keyId }));
    const enabled = await scenario.run('enableKey', {}, t.client, label);
    assert.ok(enabled?.ok);
    assert.deepEqual(
      enabled.calls.map((c) => c.operation),
      ['DescribeKey', 'EnableKey', 'DescribeKey'],
    );
    assert.equal(enabled.summary.find((s) => s.label === 'State before')?.value, 'Disabled');
    assert.equal(enabled.summary.find((s) => s.label === 'State after')?.value, 'Enabled');
    const described = await t.client.send(new DescribeKeyCommand({ KeyId: scenario.saved.key!.keyId }));
    assert.equal(described.KeyMetadata?.KeyState, 'Enabled');
  });

  it('step 3 round-trips the message, shows the ciphertext and masks the plaintext', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const message = 'Top secret: the launch code is 0000 ✓';
    const outcome = await scenario.run('encryptDecrypt', { message }, t.client, label);
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    assert.deepEqual(
      outcome.calls.map((c) => c.operation),
      ['Encrypt', 'Decrypt'],
    );
    const base64 = outcome.summary.find((s) => s.label === 'Ciphertext (base64)')!.value;
    // The ciphertext shown is what KMS decrypts.
    const decrypted = await t.client.send(new DecryptCommand({ CiphertextBlob: Buffer.from(base64, 'base64') }));
    assert.equal(Buffer.from(decrypted.Plaintext!).toString('utf8'), message);
    // Neither the records nor the saved progress hold the plaintext.
    const everything = JSON.stringify(outcome.calls) + JSON.stringify(saved) + JSON.stringify(scenario.view(label));
    assert.ok(!everything.includes('launch code'));
    assert.ok(!everything.includes(Buffer.from(message).toString('base64')));
    const encryptCall = outcome.calls[0];
    assert.equal((encryptCall.request as { Plaintext: string }).Plaintext, MASK);
    assert.deepEqual(
      encryptCall.masked.map((m) => m.path),
      [['request', 'Plaintext']],
    );
    const decryptCall = outcome.calls[1];
    assert.equal((decryptCall.response as { Plaintext: string }).Plaintext, MASK);
    // "Decrypt needs only the blob": the request shows the blob alone; the response names the key.
    assert.deepEqual(Object.keys(decryptCall.request as object), ['CiphertextBlob']);
    assert.equal((decryptCall.response as { KeyId: string }).KeyId, scenario.saved.key!.keyArn);
    // Reveal gives the text back, from memory.
    for (const m of [...encryptCall.masked, ...decryptCall.masked]) assert.equal(scenario.reveal(m.secretId), message);
    assert.equal(scenario.reveal('not-an-id'), null);
  });

  it('step 3 refuses an empty or oversized message without calling KMS', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    assert.equal((await scenario.run('encryptDecrypt', { message: '' }, t.client, label))?.error?.code, 'InvalidInput');
    const big = await scenario.run('encryptDecrypt', { message: 'é'.repeat(2049) }, t.client, label);
    assert.match(big!.error!.summary, /4098 bytes/);
    assert.equal(big!.calls.length, 0);
  });

  it('step 3 on a disabled key fails with DisabledException explained', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    await t.client.send(new DisableKeyCommand({ KeyId: scenario.saved.key!.keyId }));
    const outcome = await scenario.run('encryptDecrypt', inputs().encryptDecrypt, t.client, label);
    assert.equal(outcome?.error?.code, 'DisabledException');
    assert.match(outcome.error.summary, /disabled/);
    assert.equal(outcome.calls[0].error?.code, 'DisabledException');
  });

  it('step 4 creates, lists and revokes a grant, and puts the key policy back with an added statement', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const i = inputs().grantsPolicy;
    const outcome = await scenario.run('grantsPolicy', { ...i, addStatement: true }, t.client, label);
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    assert.deepEqual(
      outcome.calls.map((c) => c.operation),
      ['CreateGrant', 'ListGrants', 'RevokeGrant', 'GetKeyPolicy', 'PutKeyPolicy'],
    );
    // The grant token is a secret: masked.
    assert.equal((outcome.calls[0].response as { GrantToken: string }).GrantToken, MASK);
    const grants = await t.client.send(new ListGrantsCommand({ KeyId: scenario.saved.key!.keyId }));
    assert.equal(grants.Grants?.length, 0, 'the grant was revoked');
    const policy = JSON.parse(
      (await t.client.send(new GetKeyPolicyCommand({ KeyId: scenario.saved.key!.keyId, PolicyName: 'default' })))
        .Policy!,
    );
    const added = policy.Statement.find((s: { Sid?: string }) => s.Sid === 'AllowGettingStartedRoleToDescribeKey');
    assert.equal(added.Principal.AWS, i.grantee);
    // Running it again replaces the statement (same Sid) instead of duplicating it.
    await scenario.run('grantsPolicy', { ...i, addStatement: true }, t.client, label);
    const again = JSON.parse(
      (await t.client.send(new GetKeyPolicyCommand({ KeyId: scenario.saved.key!.keyId, PolicyName: 'default' })))
        .Policy!,
    );
    assert.equal(again.Statement.length, policy.Statement.length);
  });

  it('step 4 on the sandbox creates the grantee role and encrypts as it: allowed with the grant, AccessDenied after revoke', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const connection = await connect(sandboxSettings(t));
    const services = { context: { secrets: memorySecrets() } } as unknown as Services;
    const grantee = await granteeAccess(services, connection);
    const i = inputs().grantsPolicy;
    const outcome = await scenario.run('grantsPolicy', i, t.client, label, grantee);
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    const as = 'Encrypt (as role/KmsGettingStartedRole)';
    assert.deepEqual(
      outcome.calls.map((c) => c.operation),
      ['CreateRole', 'CreateGrant', 'ListGrants', 'AssumeRole', as, 'RevokeGrant', as, 'GetKeyPolicy', 'PutKeyPolicy'],
    );
    assert.equal(outcome.calls[4].error, undefined, 'allowed while the grant exists');
    assert.equal(outcome.calls[6].error?.code, 'AccessDeniedException', 'refused once revoked');
    assert.match(outcome.calls[6].error.message, /assumed-role\/KmsGettingStartedRole\/.* kms:Encrypt/);
    // What the page gets: the plaintext masked, no credentials of the session at all.
    assert.equal((outcome.calls[4].request as { Plaintext: string }).Plaintext, MASK);
    const page = JSON.stringify(outcome.calls);
    assert.ok(!/SecretAccessKey|SessionToken|ASIA[A-Z0-9]{12}/.test(page), page);
    const summary = Object.fromEntries(outcome.summary.map((s) => [s.label, s.value]));
    assert.match(summary['Grantee role'], /created/);
    assert.match(summary['Encrypt as the grantee, grant in place'], /^Allowed/);
    assert.match(summary['Encrypt as the grantee, grant revoked'], /^Refused: AccessDeniedException/);
    assert.match(summary['Who manages the key'], /"Enable IAM User Permissions" allows the account/);
    // Again: the role is reused.
    const again = await scenario.run('grantsPolicy', i, t.client, label, grantee);
    assert.ok(again?.ok, JSON.stringify(again?.error));
    assert.match(Object.fromEntries(again.summary.map((s) => [s.label, s.value]))['Grantee role'], /reused/);
    connection.dispose();
  });

  it('step 4 without a way to act as the grantee says why, and still creates and revokes the grant', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const i = inputs().grantsPolicy;
    const outcome = await scenario.run(
      'grantsPolicy',
      { ...i, grantee: 'arn:aws:iam::111122223333:role/Other' },
      t.client,
      label,
    );
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    const summary = Object.fromEntries(outcome.summary.map((s) => [s.label, s.value]));
    assert.match(
      summary['Acting as the grantee'],
      /^Skipped: the grantee is not a role of this account\. .*sts:AssumeRole/,
    );
  });

  it('step 4 refuses a grantee that is not an IAM ARN and a statement that is not JSON', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const i = inputs().grantsPolicy;
    assert.match(
      (await scenario.run('grantsPolicy', { ...i, grantee: 'bob' }, t.client, label))!.error!.summary,
      /IAM ARN/,
    );
    assert.match(
      (await scenario.run('grantsPolicy', { ...i, addStatement: true, statement: '{ nope' }, t.client, label))!.error!
        .summary,
      /not valid JSON/,
    );
    assert.equal((await t.client.send(new ListGrantsCommand({ KeyId: scenario.saved.key!.keyId }))).Grants?.length, 0);
  });

  it("step 4 explains a statement KMS refuses, in the step's terms, after revoking the grant", async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const statement = JSON.stringify({
      Effect: 'Allow',
      Principal: { AWS: 'not-a-principal' },
      Action: 'kms:DescribeKey',
      Resource: '*',
    });
    const outcome = await scenario.run(
      'grantsPolicy',
      { ...inputs().grantsPolicy, addStatement: true, statement },
      t.client,
      label,
    );
    assert.equal(outcome?.error?.code, 'MalformedPolicyDocumentException');
    assert.match(outcome.error.summary, /Untick "Add this statement"/);
    assert.equal(outcome.calls.at(-1)?.operation, 'PutKeyPolicy');
    assert.equal((await t.client.send(new ListGrantsCommand({ KeyId: scenario.saved.key!.keyId }))).Grants?.length, 0);
  });

  it('step 5 enables rotation with the chosen period', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const outcome = await scenario.run('rotation', { rotationPeriodInDays: 180 }, t.client, label);
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    const status = await t.client.send(new GetKeyRotationStatusCommand({ KeyId: scenario.saved.key!.keyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 180);
    assert.equal(outcome.summary.find((s) => s.label === 'Rotation period')?.value, '180 days');
    assert.match(
      outcome.summary.find((s) => s.label === 'Next rotation')!.value,
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
      "the trees' date format",
    );
  });

  it('step 6 tags the key, then schedules and cancels its deletion', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const KeyId = scenario.saved.key!.keyId;
    const outcome = await scenario.run('tagsDeletion', { tagKey: 'Team', tagValue: 'Docs' }, t.client, label);
    assert.ok(outcome?.ok, JSON.stringify(outcome?.error));
    const tags = await t.client.send(new ListResourceTagsCommand({ KeyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'Team', TagValue: 'Docs' }]);

    const scheduled = await scenario.schedule(7, t.client);
    assert.ok(scheduled?.ok, JSON.stringify(scheduled?.error));
    assert.equal(scenario.saved.deletion.status, 'scheduled');
    assert.match(
      scheduled.summary.find((s) => s.label === 'Deletion date')!.value,
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
    assert.match(
      JSON.stringify(scheduled.calls[0].response),
      /"DeletionDate":"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC"/,
    );
    assert.equal((await t.client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyState, 'PendingDeletion');
    const cancelled = await scenario.cancel(t.client);
    assert.ok(cancelled?.ok, JSON.stringify(cancelled?.error));
    assert.equal(scenario.saved.deletion.status, 'cancelled');
    assert.equal((await t.client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyState, 'Enabled');
  });

  it("step 7 shows the key's last use and the scenario's own calls from CloudTrail, newest first", async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    await scenario.run('encryptDecrypt', inputs().encryptDecrypt, t.client, label);
    // Events reach the trail within a second: the step is run again until the Decrypt shows.
    const outcome = await waitFor('the Decrypt event', async () => {
      const o = await scenario.run('keyUsage', {}, t.client, label);
      return o?.summary.some((s) => / · Decrypt$/.test(s.label)) ? o : undefined;
    });
    assert.ok(outcome.ok, JSON.stringify(outcome.error));
    assert.deepEqual(
      outcome.calls.map((c) => c.operation),
      ['GetKeyLastUsage', 'LookupEvents'],
    );
    assert.match(outcome.summary.find((s) => s.label === 'Last used')!.value, /^Decrypt on \d{4}-\d{2}-\d{2} /);
    const events = outcome.summary.filter((s) => / · [A-Za-z]+$/.test(s.label)).map((s) => s.label.split(' · ')[1]);
    for (const op of ['Decrypt', 'Encrypt', 'CreateAlias', 'CreateKey']) assert.ok(events.includes(op), op);
    assert.ok(events.indexOf('Decrypt') < events.indexOf('CreateKey'), 'newest first');
    assert.match(outcome.summary.find((s) => s.label.endsWith(' · Encrypt'))!.value, /^root · succeeded$/);
    // No plaintext or ciphertext in what the page is shown.
    assert.doesNotMatch(JSON.stringify(outcome), /Hello from the KMS Explorer walkthrough/);
  });

  it("a failed deletion action keeps the key's deletion status and explains the error", async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    const cancelled = await scenario.cancel(t.client);
    assert.equal(cancelled?.error?.code, 'KMSInvalidStateException', 'nothing to cancel');
    assert.equal(scenario.saved.deletion.status, 'failed');
    assert.ok(await scenario.schedule(30, t.client).then((o) => o?.ok));
    const again = await scenario.schedule(7, t.client);
    assert.equal(again?.error?.code, 'KMSInvalidStateException');
    assert.equal(scenario.saved.deletion.status, 'scheduled', 'still scheduled, so Cancel stays offered');
    // A key pending deletion refuses the other steps, with the reason.
    const encrypt = await scenario.run('encryptDecrypt', inputs().encryptDecrypt, t.client, label);
    assert.equal(encrypt?.error?.code, 'KMSInvalidStateException');
  });

  it('says when the progress was made on another connection', async () => {
    await scenario.run('createKey', inputs().createKey, t.client, label);
    assert.equal(scenario.view(label).progressConnectionLabel, undefined);
    assert.equal(scenario.view('prod · eu-west-1').progressConnectionLabel, label);
  });

  it('"Run all remaining" runs in order and stops at the first failure', async () => {
    const i = inputs();
    // Before step 1 the default grantee is empty: it means the default role in the key's account.
    assert.equal(i.grantsPolicy.grantee, '');
    const ran = await scenario.runAll(
      { ...i, grantsPolicy: { ...i.grantsPolicy, grantee: 'not-an-arn' } },
      t.client,
      label,
    );
    assert.deepEqual(ran, ['createKey', 'enableKey', 'encryptDecrypt', 'grantsPolicy']);
    const s = scenario.saved.steps;
    assert.deepEqual(
      [
        s.createKey.status,
        s.enableKey.status,
        s.encryptDecrypt.status,
        s.grantsPolicy.status,
        s.rotation.status,
        s.tagsDeletion.status,
      ],
      ['done', 'done', 'done', 'failed', 'pending', 'pending'],
    );
    assert.match(s.grantsPolicy.error!.summary, /IAM ARN/);
    // Done steps are not run again.
    const again = await scenario.runAll(
      { ...inputs(), grantsPolicy: { ...i.grantsPolicy, grantee: 'still-bad' } },
      t.client,
      label,
    );
    assert.deepEqual(again, ['grantsPolicy']);
  });

  it('refuses a second action while one runs', async () => {
    const first = scenario.run('createKey', inputs().createKey, t.client, label);
    assert.equal(scenario.isBusy, true);
    assert.equal(await scenario.run('enableKey', {}, t.client, label), undefined);
    assert.equal(scenario.startOver(), false);
    await first;
    assert.equal(scenario.isBusy, false);
    assert.equal(scenario.startOver(), true);
    assert.equal(scenario.saved.key, undefined);
  });
});
