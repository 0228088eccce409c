import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
  RevokeGrantCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const GRANTEE = 'arn:aws:iam::111122223333:role/app';

describe('sandbox: grants', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let keyId: string;
  let keyArn: string;
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    const md = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    keyId = md.KeyId!;
    keyArn = md.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/granted', TargetKeyId: keyId }));
  });
  after(() => t.stop());

  it('creates a grant, lists it as AWS does, and accepts its token at once', async () => {
    const before = Date.now();
    const g = await kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: GRANTEE,
        RetiringPrincipal: 'arn:aws:iam::111122223333:role/admin',
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { dept: 'it' } },
        Name: 'app-grant',
      }),
    );
    assert.match(g.GrantId!, /^[0-9a-f]{64}$/);
    assert.ok(g.GrantToken && g.GrantToken.length > 20);
    const list = await kms.send(new ListGrantsCommand({ KeyId: keyArn }));
    assert.equal(list.Grants?.length, 1);
    const entry = list.Grants[0];
    assert.equal(entry.KeyId, keyArn);
    assert.equal(entry.GrantId, g.GrantId);
    assert.equal(entry.Name, 'app-grant');
    assert.equal(entry.GranteePrincipal, GRANTEE);
    assert.equal(entry.RetiringPrincipal, 'arn:aws:iam::111122223333:role/admin');
    assert.equal(entry.IssuingAccount, `arn:aws:iam::${t.sandbox.accountId}:root`);
    assert.deepEqual(entry.Operations, ['Encrypt', 'Decrypt']);
    assert.deepEqual(entry.Constraints, { EncryptionContextSubset: { dept: 'it' } });
    assert.ok(entry.CreationDate instanceof Date && Math.abs(entry.CreationDate.getTime() - before) < 5000);
    await kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        EncryptionContext: { dept: 'it' },
        GrantTokens: [g.GrantToken],
      }),
    );
  });

  it('CreateGrant with the same Name is idempotent (same GrantId)', async () => {
    const a = await kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'], Name: 'idem' }),
    );
    const b = await kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'], Name: 'idem' }),
    );
    assert.equal(a.GrantId, b.GrantId);
  });

  it('validates CreateGrant input', async () => {
    await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Fly' as never] })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: [] })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: undefined, Operations: ['Encrypt'] })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: 'alias/granted', GranteePrincipal: GRANTEE, Operations: ['Encrypt'] })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: 'not an arn!', Operations: ['Encrypt'] })),
      'ValidationException',
    ); // the model's pattern ^[\w+=,.@:/-]+$
    await expectKmsError(
      kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: GRANTEE,
          Operations: ['Encrypt'],
          GrantTokens: ['forged'],
        }),
      ),
      'InvalidGrantTokenException',
    );
  });

  it('filters ListGrants by GrantId and GranteePrincipal', async () => {
    const other = 'arn:aws:iam::111122223333:role/other';
    const g = await kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: other, Operations: ['DescribeKey'] }),
    );
    const byId = await kms.send(new ListGrantsCommand({ KeyId: keyId, GrantId: g.GrantId }));
    assert.deepEqual(
      byId.Grants?.map((x) => x.GrantId),
      [g.GrantId],
    );
    const byGrantee = await kms.send(new ListGrantsCommand({ KeyId: keyId, GranteePrincipal: other }));
    assert.deepEqual(
      byGrantee.Grants?.map((x) => x.GrantId),
      [g.GrantId],
    );
  });

  it('revokes a grant; revoking again or on another key is NotFoundException', async () => {
    const g = await kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] }),
    );
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(kms.send(new RevokeGrantCommand({ KeyId: other, GrantId: g.GrantId })), 'NotFoundException');
    await kms.send(new RevokeGrantCommand({ KeyId: keyArn, GrantId: g.GrantId }));
    const list = await kms.send(new ListGrantsCommand({ KeyId: keyId }));
    assert.ok(!list.Grants?.some((x) => x.GrantId === g.GrantId));
    await expectKmsError(kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId })), 'NotFoundException');
  });

  it('ListGrants on a key that does not exist is NotFoundException', async () => {
    await expectKmsError(
      kms.send(new ListGrantsCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
      'NotFoundException',
    );
  });

  it('pages ListGrants: default 50, Limit 1..100, forged marker refused', async () => {
    const k = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(
        (await kms.send(new CreateGrantCommand({ KeyId: k, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] })))
          .GrantId!,
      );
    const first = await kms.send(new ListGrantsCommand({ KeyId: k }));
    assert.equal(first.Grants?.length, 50);
    assert.equal(first.Truncated, true);
    const second = await kms.send(new ListGrantsCommand({ KeyId: k, Marker: first.NextMarker }));
    assert.equal(second.Grants?.length, 10);
    assert.equal(second.Truncated, false);
    assert.deepEqual(
      [...first.Grants, ...second.Grants].map((g) => g.GrantId),
      ids,
    );
    const small = await kms.send(new ListGrantsCommand({ KeyId: k, Limit: 7 }));
    assert.equal(small.Grants?.length, 7);
    await expectKmsError(kms.send(new ListGrantsCommand({ KeyId: k, Limit: 101 })), 'ValidationException');
    await expectKmsError(kms.send(new ListGrantsCommand({ KeyId: k, Marker: 'forged' })), 'InvalidMarkerException');
    // A marker for one key's grants is not valid for another key's.
    await expectKmsError(
      kms.send(new ListGrantsCommand({ KeyId: keyId, Marker: first.NextMarker })),
      'InvalidMarkerException',
    );
  });
});
