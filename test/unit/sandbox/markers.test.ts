import {
  CreateKeyCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ListRetirableGrantsCommand,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: every List* refuses a forged marker', () => {
  let t: TestSandbox;
  after(() => t?.stop());

  it('ListKeys, ListAliases, ListGrants, ListRetirableGrants, ListKeyRotations, ListKeyPolicies, ListResourceTags', async () => {
    t = await startTestSandbox();
    const kms = t.client;
    const KeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new CreateKeyCommand({}));
    // A real marker of ListKeys, edited by one character, and plain garbage: both are refused.
    const real = (await kms.send(new ListKeysCommand({ Limit: 1 }))).NextMarker!;
    const edited = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    for (const Marker of ['forged', edited]) {
      await expectKmsError(kms.send(new ListKeysCommand({ Marker })), 'InvalidMarkerException');
      await expectKmsError(kms.send(new ListAliasesCommand({ Marker })), 'InvalidMarkerException');
      await expectKmsError(kms.send(new ListGrantsCommand({ KeyId, Marker })), 'InvalidMarkerException');
      await expectKmsError(
        kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::111122223333:role/r', Marker })),
        'InvalidMarkerException',
      );
      await expectKmsError(kms.send(new ListKeyRotationsCommand({ KeyId, Marker })), 'InvalidMarkerException');
      await expectKmsError(kms.send(new ListKeyPoliciesCommand({ KeyId, Marker })), 'InvalidMarkerException');
      await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId, Marker })), 'InvalidMarkerException');
    }
    // A ListKeys marker is not a marker of another operation.
    await expectKmsError(kms.send(new ListAliasesCommand({ Marker: real })), 'InvalidMarkerException');
    await expectKmsError(kms.send(new ListKeyRotationsCommand({ KeyId, Marker: real })), 'InvalidMarkerException');
  });
});
