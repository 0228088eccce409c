// Member constraints from the KMS service model (patterns and lengths AWS's request validation enforces before an
// operation runs): ValidationException with AWS's "1 validation error detected" wording, nothing changed.
import * as assert from 'node:assert/strict';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GenerateRandomCommand,
  GetKeyPolicyCommand,
  ImportKeyMaterialCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ListRetirableGrantsCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const pattern = (member: string, re: string) =>
  new RegExp(
    `^1 validation error detected: Value .* at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${re.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`,
    's',
  );

describe("sandbox: the model's member patterns and lengths", () => {
  let t: TestSandbox;
  let keyId: string;
  before(async () => {
    t = await startTestSandbox();
    keyId = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  after(() => t?.stop());

  it('principals outside ^[\\w+=,.@:/-]+$ are a ValidationException (CreateGrant, ListGrants, ListRetirableGrants)', async () => {
    const kms = t.client;
    const re = pattern('granteePrincipal', '^[\\w+=,.@:/-]+$');
    const e = await expectKmsError(
      kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: 'role app', Operations: ['Encrypt'] })),
      'ValidationException',
    );
    assert.match(e.message, re);
    await expectKmsError(
      kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: 'arn:aws:iam::111122223333:role/app',
          RetiringPrincipal: 'x!',
          Operations: ['Encrypt'],
        }),
      ),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new ListGrantsCommand({ KeyId: keyId, GranteePrincipal: 'a b' })),
      'ValidationException',
    );
    await expectKmsError(kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'a b' })), 'ValidationException');
    assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants, []);
    // Service principals and ARNs match it.
    await kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: 'dynamodb.us-east-1.amazonaws.com',
        Operations: ['Decrypt'],
      }),
    );
  });

  it('a marker outside [\\u0020-\\u00FF]* is a ValidationException, not InvalidMarkerException', async () => {
    const e = await expectKmsError(t.client.send(new ListKeysCommand({ Marker: 'ĀĀ' })), 'ValidationException');
    assert.match(e.message, pattern('marker', '[\\u0020-\\u00FF]*'));
    await expectKmsError(t.client.send(new ListKeysCommand({ Marker: 'forged' })), 'InvalidMarkerException');
  });

  it('List* operations check Limit and Marker before they look the key up, as AWS validates members first', async () => {
    const kms = t.client;
    const KeyId = '11111111-2222-3333-4444-555555555555';
    await expectKmsError(kms.send(new ListGrantsCommand({ KeyId, Limit: 0 })), 'ValidationException');
    await expectKmsError(kms.send(new ListKeyPoliciesCommand({ KeyId, Limit: 1001 })), 'ValidationException');
    await expectKmsError(
      kms.send(new ListKeyRotationsCommand({ KeyId, Marker: 'x'.repeat(1025) })),
      'ValidationException',
    );
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId, Limit: 51 })), 'ValidationException');
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId, Limit: 50 })), 'NotFoundException');
    await expectKmsError(kms.send(new ListGrantsCommand({ KeyId: keyId, Marker: 'forged' })), 'InvalidMarkerException');
  });

  it('a key policy with characters outside Latin-1 is a ValidationException and the policy is kept', async () => {
    const kms = t.client;
    const before = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!;
    const doc = JSON.parse(before) as { Statement: Array<{ Sid: string }> };
    doc.Statement[0].Sid = 'Enable IAM User Permissions — root';
    const e = await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(doc) })),
      'ValidationException',
    );
    assert.match(
      e.message,
      /Member must satisfy regular expression pattern: \[\\u0009\\u000A\\u000D\\u0020-\\u00FF\]\+$/,
    );
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy, before);
    await expectKmsError(kms.send(new CreateKeyCommand({ Policy: JSON.stringify(doc) })), 'ValidationException');
  });

  it('DescribeKey checks its GrantTokens list; custom key store ids and XksKeyId are checked before they are refused', async () => {
    const kms = t.client;
    await expectKmsError(
      kms.send(new DescribeKeyCommand({ KeyId: keyId, GrantTokens: Array(11).fill('t') })),
      'ValidationException',
    );
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: keyId, GrantTokens: ['t'] }))).KeyMetadata!.KeyId,
      keyId,
    );
    await expectKmsError(kms.send(new CreateKeyCommand({ CustomKeyStoreId: 'c'.repeat(65) })), 'ValidationException');
    await expectKmsError(
      kms.send(new CreateKeyCommand({ CustomKeyStoreId: 'cks-1234567890abcdef0' })),
      'CustomKeyStoreNotFoundException',
    );
    await expectKmsError(
      kms.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: '' })),
      'ValidationException',
    );
    await expectKmsError(kms.send(new CreateKeyCommand({ XksKeyId: 'bad id!' })), 'ValidationException');
    await expectKmsError(kms.send(new CreateKeyCommand({ XksKeyId: 'xks-key-1' })), 'ValidationException');
  });

  it('ImportKeyMaterial checks KeyMaterialDescription against ^[a-zA-Z0-9:/_\\s.-]+$', async () => {
    const external = (await t.client.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    const e = await expectKmsError(
      t.client.send(
        new ImportKeyMaterialCommand({
          KeyId: external,
          ImportToken: Buffer.alloc(16),
          EncryptedKeyMaterial: Buffer.alloc(256),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
          KeyMaterialDescription: 'material #1',
        }),
      ),
      'ValidationException',
    );
    assert.match(e.message, /at 'keyMaterialDescription'/);
  });
});
