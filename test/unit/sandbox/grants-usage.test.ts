import * as assert from 'node:assert/strict';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  ReEncryptCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { allow, iamClient, stsClient, trustAccount, userWithKey, type Creds } from '../../support/iam';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: using, retiring and revoking grants', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let iam: IAMClient;
  let keyId: string;
  let APP: string;
  let ADMIN: string;
  /** A session of the role app: it has no IAM policy, so only grants let it use a key. */
  let session: Creds;
  const app = () =>
    new KMSClient({ endpoint: t.sandbox.endpoint, region: t.sandbox.region, credentials: session, maxAttempts: 1 });

  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    iam = iamClient(t);
    const account = t.sandbox.accountId;
    APP = `arn:aws:iam::${account}:role/app`;
    ADMIN = `arn:aws:iam::${account}:role/admin`;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'app',
        AssumeRolePolicyDocument: trustAccount(account),
        MaxSessionDuration: 43200,
      }),
    );
    const dev = await userWithKey(iam, 'dev', allow('sts:AssumeRole'));
    const c = (
      await stsClient(t, dev).send(
        new AssumeRoleCommand({ RoleArn: APP, RoleSessionName: 'grants', DurationSeconds: 43200 }),
      )
    ).Credentials!;
    session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  });
  beforeEach(async () => {
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  after(async () => {
    iam.destroy();
    await t.stop();
  });

  const grant = (extra: Partial<ConstructorParameters<typeof CreateGrantCommand>[0]> = {}) =>
    kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: APP, Operations: ['Encrypt', 'Decrypt'], ...extra }),
    );
  /** Encrypt as the grantee (a session of the role app), with or without grant tokens. */
  const encrypt = (GrantTokens: string[], EncryptionContext?: Record<string, string>, KeyId = keyId) =>
    app().send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('granted'), EncryptionContext, GrantTokens }));

  it('the grantee may do what its grants allow (operation and key), with or without grant tokens', async () => {
    const g = await grant({ Operations: ['Encrypt'] });
    const blob = (await encrypt([g.GrantToken!])).CiphertextBlob!;
    await encrypt([]);
    await expectKmsError(
      app().send(new DecryptCommand({ CiphertextBlob: blob, GrantTokens: [g.GrantToken!] })),
      'AccessDeniedException',
    );
    await expectKmsError(
      app().send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', GrantTokens: [g.GrantToken!] })),
      'AccessDeniedException',
    );
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(encrypt([g.GrantToken!], undefined, other), 'AccessDeniedException');
    // A token does not narrow what its bearer may do: the root user, whom the key policy allows, still decrypts.
    assert.equal(
      Buffer.from(
        (await kms.send(new DecryptCommand({ CiphertextBlob: blob, GrantTokens: [g.GrantToken!] }))).Plaintext!,
      ).toString(),
      'granted',
    );
    // Another grant for Decrypt: effective at once.
    await grant({ Operations: ['Decrypt'] });
    await app().send(new DecryptCommand({ CiphertextBlob: blob }));
  });

  it('enforces EncryptionContextSubset and EncryptionContextEquals (keys and values exact)', async () => {
    await grant({ Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { Dept: 'IT' } } });
    await encrypt([], { Dept: 'IT', project: 'x' });
    await expectKmsError(encrypt([], { dept: 'IT' }), 'AccessDeniedException');
    await expectKmsError(encrypt([], { Dept: 'it' }), 'AccessDeniedException');
    await expectKmsError(encrypt([]), 'AccessDeniedException');

    await grant({ Constraints: { EncryptionContextEquals: { dept: 'IT' } } });
    const blob = (await encrypt([], { dept: 'IT' })).CiphertextBlob!;
    await expectKmsError(encrypt([], { dept: 'IT', extra: '1' }), 'AccessDeniedException');
    await app().send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { dept: 'IT' } }));

    // ReEncrypt: ReEncryptFrom on the source key and ReEncryptTo on the destination, each with its context.
    await grant({
      Operations: ['ReEncryptFrom', 'ReEncryptTo'],
      Constraints: { EncryptionContextSubset: { dept: 'IT' } },
    });
    await app().send(
      new ReEncryptCommand({
        CiphertextBlob: blob,
        SourceEncryptionContext: { dept: 'IT' },
        DestinationKeyId: keyId,
        DestinationEncryptionContext: { dept: 'IT' },
      }),
    );
    await expectKmsError(
      app().send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: { dept: 'IT' },
          DestinationKeyId: keyId,
        }),
      ),
      'AccessDeniedException',
    );
  });

  it('refuses constraints on keys without an encryption context, and more than 8 pairs', async () => {
    const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(
        new CreateGrantCommand({
          KeyId: hmac,
          GranteePrincipal: APP,
          Operations: ['GenerateMac'],
          Constraints: { EncryptionContextSubset: { a: 'b' } },
        }),
      ),
      'ValidationException',
    );
    const pairs = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    await expectKmsError(grant({ Constraints: { EncryptionContextSubset: pairs } }), 'ValidationException');
    // Operations without an encryption context only need the grant to allow them.
    const g = await kms.send(
      new CreateGrantCommand({ KeyId: hmac, GranteePrincipal: APP, Operations: ['GenerateMac'] }),
    );
    await app().send(
      new GenerateMacCommand({
        KeyId: hmac,
        Message: Buffer.from('m'),
        MacAlgorithm: 'HMAC_SHA_256',
        GrantTokens: [g.GrantToken!],
      }),
    );
    await expectKmsError(encrypt([g.GrantToken!]), 'AccessDeniedException');
  });

  it('Name makes CreateGrant idempotent only for the very same request; every call gets a new token', async () => {
    const a = await grant({
      Name: 'same',
      RetiringPrincipal: ADMIN,
      Constraints: { EncryptionContextSubset: { a: '1' } },
    });
    const b = await grant({
      Name: 'same',
      RetiringPrincipal: ADMIN,
      Constraints: { EncryptionContextSubset: { a: '1' } },
    });
    assert.equal(a.GrantId, b.GrantId);
    assert.notEqual(a.GrantToken, b.GrantToken);
    await encrypt([b.GrantToken!], { a: '1' });
    const c = await grant({
      Name: 'same',
      RetiringPrincipal: ADMIN,
      Constraints: { EncryptionContextSubset: { a: '2' } },
    });
    assert.notEqual(c.GrantId, a.GrantId);
    const d = await grant({ Name: 'same', Constraints: { EncryptionContextSubset: { a: '1' } } });
    assert.notEqual(d.GrantId, a.GrantId);
  });

  it('ListRetirableGrants lists the grants a principal may retire, across keys, paged', async () => {
    const retiree = 'arn:aws:iam::111122223333:role/retiree';
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ids = [
      (await grant({ RetiringPrincipal: retiree })).GrantId,
      (
        await kms.send(
          new CreateGrantCommand({
            KeyId: other,
            GranteePrincipal: APP,
            RetiringPrincipal: retiree,
            Operations: ['Encrypt'],
          }),
        )
      ).GrantId,
      (await grant({ RetiringPrincipal: retiree })).GrantId,
    ];
    const first = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Limit: 2 }));
    assert.equal(first.Grants!.length, 2);
    assert.equal(first.Truncated, true);
    const second = await kms.send(
      new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Marker: first.NextMarker }),
    );
    assert.equal(second.Truncated, false);
    assert.deepEqual([...first.Grants!, ...second.Grants!].map((g) => g.GrantId).sort(), [...ids].sort());
    assert.ok(first.Grants!.every((g) => g.RetiringPrincipal === retiree));
    await expectKmsError(
      kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Marker: 'forged' })),
      'InvalidMarkerException',
    );
    await expectKmsError(
      kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: ADMIN, Marker: first.NextMarker })),
      'InvalidMarkerException',
    );
    await expectKmsError(
      kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Limit: 101 })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'not an arn!' })),
      'ValidationException',
    );
    assert.deepEqual(
      (await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::111122223333:role/nobody' })))
        .Grants,
      [],
    );
  });

  it('RetireGrant by token or by key and grant id; a retired grant and its tokens are gone, also after a restart', async () => {
    const byToken = await grant({ RetiringPrincipal: ADMIN });
    const byId = await grant({ RetiringPrincipal: ADMIN });
    await encrypt([]);
    await expectKmsError(
      kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken, DryRun: true })),
      'DryRunOperationException',
    );
    await kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken }));
    await kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: byId.GrantId }));
    kms = await t.restart();
    const left = (await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants!.map((g) => g.GrantId);
    assert.ok(!left.includes(byToken.GrantId) && !left.includes(byId.GrantId));
    await expectKmsError(encrypt([byToken.GrantToken!]), 'AccessDeniedException');
    await expectKmsError(kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken })), 'NotFoundException');
    await expectKmsError(
      kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: byId.GrantId })),
      'NotFoundException',
    );
    await expectKmsError(kms.send(new RetireGrantCommand({ GrantToken: 'forged' })), 'InvalidGrantTokenException');
    await expectKmsError(
      kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: 'not-a-grant-id' })),
      'InvalidGrantIdException',
    );
    await expectKmsError(kms.send(new RetireGrantCommand({ KeyId: keyId })), 'ValidationException');
    await expectKmsError(kms.send(new RetireGrantCommand({})), 'ValidationException');
  });

  it('RevokeGrant: DryRun changes nothing; malformed grant ids are InvalidGrantIdException; grant tokens survive restarts', async () => {
    const g = await grant();
    await expectKmsError(
      kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId, DryRun: true })),
      'DryRunOperationException',
    );
    kms = await t.restart();
    await encrypt([g.GrantToken!]);
    await expectKmsError(kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: 'xyz' })), 'InvalidGrantIdException');
    await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId }));
    await expectKmsError(encrypt([g.GrantToken!]), 'AccessDeniedException');
    await expectKmsError(encrypt([]), 'AccessDeniedException');
  });
});
