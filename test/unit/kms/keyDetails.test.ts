import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
} from '@aws-sdk/client-kms';
import { keyDetailsJson, readKeyDetails } from '../../../src/kms/keyDetails';
import { useSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/keyDetails against the sandbox', () => {
  let t: TestSandbox;
  useSandbox((s) => {
    t = s;
  });

  it('gathers metadata, aliases, grants, tags, rotation and the policy in one document', async () => {
    const keyId = (
      await t.client.send(new CreateKeyCommand({ Description: 'details', Tags: [{ TagKey: 'team', TagValue: 'x' }] }))
    ).KeyMetadata!.KeyId!;
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/details', TargetKeyId: keyId }));
    await t.client.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: 'arn:aws:iam::111122223333:role/r',
        Operations: ['Decrypt'],
      }),
    );
    await t.client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const json = JSON.parse(keyDetailsJson(await readKeyDetails(t.client, keyId)));
    assert.equal(json.KeyMetadata.Description, 'details');
    assert.match(json.KeyMetadata.CreationDate, /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual(json.Aliases, ['alias/details']);
    assert.equal(json.Grants.length, 1);
    assert.deepEqual(json.Grants[0].Operations, ['Decrypt']);
    assert.deepEqual(json.Tags, { team: 'x' });
    assert.equal(json.Rotation.Supported, true);
    assert.equal(json.Rotation.KeyRotationEnabled, true);
    assert.equal(json.Rotation.RotationPeriodInDays, 90);
    assert.deepEqual(json.Rotation.PastRotations, []);
    // One casing style: KMS's member names (PascalCase), as in KeyMetadata.
    for (const part of ['KeyMetadata', 'Rotation'])
      for (const name of Object.keys(json[part])) assert.match(name, /^[A-Z]/, `${part}.${name}`);
    assert.equal(json.KeyPolicy.Version, '2012-10-17');
  });

  it('explains keys that cannot rotate instead of calling', async () => {
    const keyId = (await t.client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    const details = await readKeyDetails(t.client, keyId);
    assert.deepEqual(details.Rotation, { Supported: false, Reason: 'HMAC_256 keys do not rotate' });
  });

  it('an unknown key is an error for the whole document (NotFoundException)', async () => {
    await assert.rejects(
      readKeyDetails(t.client, '00000000-0000-0000-0000-000000000000'),
      (e: Error) => e.name === 'NotFoundException',
    );
  });
});
