// Decrypt routed by Region (editor/transform.ts with otherRegions) against a real sandbox: a raw blob tried in
// the other Regions, an Encryption SDK message sent to its key's Region, and a multi-Region key's message
// decrypted by its replica when the key's own Region does not answer.
import assert from 'node:assert/strict';
import { CreateKeyCommand, KMSClient, ReplicateKeyCommand } from '@aws-sdk/client-kms';
import { decryptSelections, encryptSelections, type SelectionText } from '../../../src/editor/transform';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const sel = (text: string): SelectionText => ({ text, line: 0, character: 0 });
const OTHER = 'eu-west-1';

describe('editor/transform: decrypt routed to the key’s Region (sandbox, two Regions)', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let other: KMSClient;
  /** A client whose endpoint does not answer (a Region that is not reachable). */
  let unreachable: KMSClient;

  before(async () => {
    t = await startTestSandbox({ replicationDelaySeconds: 0 });
    const config = { endpoint: t.sandbox.endpoint, credentials: await t.client.config.credentials(), maxAttempts: 1 };
    other = new KMSClient({ ...config, region: OTHER });
    unreachable = new KMSClient({ ...config, region: t.sandbox.region, endpoint: 'http://127.0.0.1:9' });
  });
  after(async () => {
    other.destroy();
    unreachable.destroy();
    await t.stop();
  });

  it('tries a raw blob the connection’s Region refuses in the other Regions given', async () => {
    const key = (await other.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const enc = await encryptSelections(other, key, [sel('raw in another Region')]);
    assert.ok(enc.ok);
    if (!enc.ok) return;
    const alone = await decryptSelections(t.client, [sel(enc.replacements[0])]);
    assert.ok(!alone.ok && !alone.cancelled && alone.failure.error?.code === 'InvalidCiphertextException');
    const routed = await decryptSelections(t.client, [sel(enc.replacements[0])], {
      otherRegions: new Map([[OTHER, other]]),
    });
    assert.ok(routed.ok);
    if (routed.ok) {
      assert.deepEqual(routed.replacements, ['raw in another Region']);
      assert.equal(routed.keyIds[0], key);
    }
  });

  it('sends an Encryption SDK message to its key’s Region', async () => {
    const key = (await other.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const enc = await encryptSelections(other, key, [sel('envelope in another Region')], { format: 'envelope' });
    assert.ok(enc.ok);
    if (!enc.ok) return;
    const routed = await decryptSelections(t.client, [sel(enc.replacements[0])], {
      region: t.sandbox.region,
      otherRegions: new Map([[OTHER, other]]),
    });
    assert.ok(routed.ok);
    if (routed.ok) assert.deepEqual(routed.replacements, ['envelope in another Region']);
  });

  it('decrypts a multi-Region key’s message with its replica when the key’s own Region does not answer', async () => {
    const primary = (await t.client.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.Arn!;
    await t.client.send(new ReplicateKeyCommand({ KeyId: primary, ReplicaRegion: OTHER }));
    const enc = await encryptSelections(t.client, primary, [sel('mrk envelope')], { format: 'envelope' });
    assert.ok(enc.ok);
    if (!enc.ok) return;
    // The connection's Region (the primary's) does not answer; the replica in the other Region decrypts.
    const routed = await decryptSelections(unreachable, [sel(enc.replacements[0])], {
      region: t.sandbox.region,
      otherRegions: new Map([[OTHER, other]]),
    });
    assert.ok(routed.ok, JSON.stringify(routed));
    if (routed.ok) assert.deepEqual(routed.replacements, ['mrk envelope']);
    // Without another Region, the failure stands.
    const alone = await decryptSelections(unreachable, [sel(enc.replacements[0])], { region: t.sandbox.region });
    assert.ok(!alone.ok);
  });
});
