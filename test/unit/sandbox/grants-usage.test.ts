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
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const APP = 'arn:aws:iam::111122223333:role/app';
const ADMIN = 'arn:aws:iam::111122223333:role/admin';

describe('sandbox: using, retiring and revoking grants', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let keyId: string;

  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  after(() => t.stop());

  const grant = (extra: Partial<ConstructorParameters<typeof CreateGrantCommand>[0]> = {}) =>
    kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: APP, Operations: ['Encrypt', 'Decrypt'], ...extra }));
  const encrypt = (GrantTokens: string[], EncryptionContext?: Record<string, string>, KeyId = keyId) =>
    kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('granted'), EncryptionContext, GrantTokens }));

  it('a request with grant tokens is allowed only as far as the grants allow (operation and key)', async () => {
    const g = await grant({ Operations: ['Encrypt'] });
    const blob = (await encrypt([g.GrantToken!])).CiphertextBlob!;
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: blob, GrantTokens: [g.GrantToken!] })), 'AccessDeniedException');
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', GrantTokens: [g.GrantToken!] })), 'AccessDeniedException');
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(encrypt([g.GrantToken!], undefined, other), 'AccessDeniedException');
    // Without grant tokens the request is the account's own, which the key policy allows.
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(), 'granted');
    // Several tokens: one grant that allows the operation is enough.
    const d = await grant({ Operations: ['Decrypt'] });
    await kms.send(new DecryptCommand({ CiphertextBlob: blob, GrantTokens: [g.GrantToken!, d.GrantToken!] }));
  });

  it('enforces EncryptionContextSubset and EncryptionContextEquals (keys case-insensitive, values exact)', async () => {
    const subset = await grant({ Constraints: { EncryptionContextSubset: { Dept: 'IT' } } });
    await encrypt([subset.GrantToken!], { dept: 'IT', project: 'x' });
    await expectKmsError(encrypt([subset.GrantToken!], { dept: 'it' }), 'AccessDeniedException');
    await expectKmsError(encrypt([subset.GrantToken!]), 'AccessDeniedException');

    const equals = await grant({ Constraints: { EncryptionContextEquals: { dept: 'IT' } } });
    const blob = (await encrypt([equals.GrantToken!], { DEPT: 'IT' })).CiphertextBlob!;
    await expectKmsError(encrypt([equals.GrantToken!], { dept: 'IT', extra: '1' }), 'AccessDeniedException');
    await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { DEPT: 'IT' }, GrantTokens: [equals.GrantToken!] }));

    // ReEncrypt: ReEncryptFrom on the source key and ReEncryptTo on the destination, each with its context.
    const re = await grant({ Operations: ['ReEncryptFrom', 'ReEncryptTo'], Constraints: { EncryptionContextSubset: { DEPT: 'IT' } } });
    await kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { DEPT: 'IT' }, DestinationKeyId: keyId, DestinationEncryptionContext: { dept: 'IT' }, GrantTokens: [re.GrantToken!] }));
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { DEPT: 'IT' }, DestinationKeyId: keyId, GrantTokens: [re.GrantToken!] })),
      'AccessDeniedException',
    );
  });

  it('refuses constraints on keys without an encryption context, and more than 8 pairs', async () => {
    const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: hmac, GranteePrincipal: APP, Operations: ['GenerateMac'], Constraints: { EncryptionContextSubset: { a: 'b' } } })),
      'ValidationException',
    );
    const pairs = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    await expectKmsError(grant({ Constraints: { EncryptionContextSubset: pairs } }), 'ValidationException');
    // Operations without an encryption context only need the grant to allow them.
    const g = await kms.send(new CreateGrantCommand({ KeyId: hmac, GranteePrincipal: APP, Operations: ['GenerateMac'] }));
    await kms.send(new GenerateMacCommand({ KeyId: hmac, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256', GrantTokens: [g.GrantToken!] }));
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), GrantTokens: [g.GrantToken!] })), 'AccessDeniedException');
  });

  it('Name makes CreateGrant idempotent only for the very same request; every call gets a new token', async () => {
    const a = await grant({ Name: 'same', RetiringPrincipal: ADMIN, Constraints: { EncryptionContextSubset: { a: '1' } } });
    const b = await grant({ Name: 'same', RetiringPrincipal: ADMIN, Constraints: { EncryptionContextSubset: { a: '1' } } });
    assert.equal(a.GrantId, b.GrantId);
    assert.notEqual(a.GrantToken, b.GrantToken);
    await encrypt([b.GrantToken!], { a: '1' });
    const c = await grant({ Name: 'same', RetiringPrincipal: ADMIN, Constraints: { EncryptionContextSubset: { a: '2' } } });
    assert.notEqual(c.GrantId, a.GrantId);
    const d = await grant({ Name: 'same', Constraints: { EncryptionContextSubset: { a: '1' } } });
    assert.notEqual(d.GrantId, a.GrantId);
  });

  it('ListRetirableGrants lists the grants a principal may retire, across keys, paged', async () => {
    const retiree = 'arn:aws:iam::111122223333:role/retiree';
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ids = [
      (await grant({ RetiringPrincipal: retiree })).GrantId,
      (await kms.send(new CreateGrantCommand({ KeyId: other, GranteePrincipal: APP, RetiringPrincipal: retiree, Operations: ['Encrypt'] }))).GrantId,
      (await grant({ RetiringPrincipal: retiree })).GrantId,
    ];
    const first = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Limit: 2 }));
    assert.equal(first.Grants!.length, 2);
    assert.equal(first.Truncated, true);
    const second = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Marker: first.NextMarker }));
    assert.equal(second.Truncated, false);
    assert.deepEqual([...first.Grants!, ...second.Grants!].map((g) => g.GrantId).sort(), [...ids].sort());
    assert.ok(first.Grants!.every((g) => g.RetiringPrincipal === retiree));
    await expectKmsError(kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Marker: 'forged' })), 'InvalidMarkerException');
    await expectKmsError(kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: ADMIN, Marker: first.NextMarker })), 'InvalidMarkerException');
    await expectKmsError(kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Limit: 101 })), 'ValidationException');
    await expectKmsError(kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'not an arn!' })), 'ValidationException');
    assert.deepEqual((await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::111122223333:role/nobody' }))).Grants, []);
  });

  it('RetireGrant by token or by key and grant id; a retired grant and its tokens are gone, also after a restart', async () => {
    const byToken = await grant({ RetiringPrincipal: ADMIN });
    const byId = await grant({ RetiringPrincipal: ADMIN });
    await expectKmsError(kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken, DryRun: true })), 'DryRunOperationException');
    await kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken }));
    await kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: byId.GrantId }));
    kms = await t.restart();
    const left = (await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants!.map((g) => g.GrantId);
    assert.ok(!left.includes(byToken.GrantId) && !left.includes(byId.GrantId));
    await expectKmsError(encrypt([byToken.GrantToken!]), 'AccessDeniedException');
    await expectKmsError(kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken })), 'NotFoundException');
    await expectKmsError(kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: byId.GrantId })), 'NotFoundException');
    await expectKmsError(kms.send(new RetireGrantCommand({ GrantToken: 'forged' })), 'InvalidGrantTokenException');
    await expectKmsError(kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: 'not-a-grant-id' })), 'InvalidGrantIdException');
    await expectKmsError(kms.send(new RetireGrantCommand({ KeyId: keyId })), 'ValidationException');
    await expectKmsError(kms.send(new RetireGrantCommand({})), 'ValidationException');
  });

  it('RevokeGrant: DryRun changes nothing; malformed grant ids are InvalidGrantIdException; grant tokens survive restarts', async () => {
    const g = await grant();
    await expectKmsError(kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId, DryRun: true })), 'DryRunOperationException');
    kms = await t.restart();
    await encrypt([g.GrantToken!]);
    await expectKmsError(kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: 'xyz' })), 'InvalidGrantIdException');
    await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId }));
    await expectKmsError(encrypt([g.GrantToken!]), 'AccessDeniedException');
  });
});
