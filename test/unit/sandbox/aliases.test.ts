import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: aliases', () => {
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
  });
  after(() => t.stop());

  it('creates an alias by key id or key ARN, lists it as AWS does, and resolves it', async () => {
    const before = Date.now();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/one', TargetKeyId: keyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app_two-2', TargetKeyId: keyArn }));
    const list = await kms.send(new ListAliasesCommand({}));
    const one = list.Aliases?.find((a) => a.AliasName === 'alias/app/one');
    assert.ok(one);
    assert.equal(one.AliasArn, `arn:aws:kms:us-east-1:${t.sandbox.accountId}:alias/app/one`);
    assert.equal(one.TargetKeyId, keyId);
    assert.ok(one.CreationDate instanceof Date && Math.abs(one.CreationDate.getTime() - before) < 5000);
    assert.ok(one.LastUpdatedDate instanceof Date);
    const two = list.Aliases?.find((a) => a.AliasName === 'alias/app_two-2');
    assert.equal(two?.TargetKeyId, keyId, 'a key ARN target is stored as the key id');
    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/app/one', Plaintext: Buffer.from('x') }));
    assert.equal(enc.KeyId, keyArn);
  });

  it('refuses a duplicate alias with AlreadyExistsException', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: keyId }));
    const err = await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: keyId })),
      'AlreadyExistsException',
    );
    assert.match(err.message, /alias\/dup already exists/);
  });

  it('applies AWS name rules', async () => {
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: keyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/', TargetKeyId: keyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/has space', TargetKeyId: keyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/' + 'a'.repeat(251), TargetKeyId: keyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keyId })),
      'NotAuthorizedException',
    );
    // The longest legal name works (and is stored under a file name the file system accepts).
    const longest = 'alias/' + 'a/'.repeat(125);
    await kms.send(new CreateAliasCommand({ AliasName: longest, TargetKeyId: keyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: longest }))).KeyMetadata?.KeyId, keyId);
  });

  it('refuses an alias target that is an alias or does not exist (NotFoundException)', async () => {
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/x1', TargetKeyId: 'alias/app/one' })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/x2', TargetKeyId: '00000000-0000-0000-0000-000000000000' })),
      'NotFoundException',
    );
  });

  it('filters ListAliases by KeyId (id or ARN; an alias is not a key id)', async () => {
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: other.KeyId }));
    for (const ref of [other.KeyId!, other.Arn!]) {
      const list = await kms.send(new ListAliasesCommand({ KeyId: ref }));
      assert.deepEqual(
        list.Aliases?.map((a) => a.AliasName),
        ['alias/other'],
      );
      assert.equal(list.Truncated, false);
    }
    await expectKmsError(kms.send(new ListAliasesCommand({ KeyId: 'alias/other' })), 'NotFoundException');
    const none = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    assert.deepEqual((await kms.send(new ListAliasesCommand({ KeyId: none.KeyId }))).Aliases, []);
  });

  it('deletes an alias; deleting it again is NotFoundException; the key stays', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/temp', TargetKeyId: keyId }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/temp' }));
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/temp' })), 'NotFoundException');
    await expectKmsError(kms.send(new DeleteAliasCommand({ AliasName: 'alias/temp' })), 'NotFoundException');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Enabled');
    // The name is free again.
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/temp', TargetKeyId: keyId }));
  });

  describe('paging', () => {
    let p: TestSandbox;
    const names: string[] = [];
    let pagedKey: string;
    before(async () => {
      p = await startTestSandbox();
      pagedKey = (await p.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      for (let i = 0; i < 120; i++) {
        const name = `alias/page-${String(i).padStart(3, '0')}`;
        names.push(name);
        await p.client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: pagedKey }));
      }
    });
    after(() => p.stop());

    async function walk(input: { KeyId?: string; Limit?: number }): Promise<{ names: string[]; pages: number[] }> {
      const seen: string[] = [];
      const pages: number[] = [];
      let marker: string | undefined;
      do {
        const page = await p.client.send(new ListAliasesCommand({ ...input, Marker: marker }));
        pages.push(page.Aliases!.length);
        seen.push(...page.Aliases!.map((a) => a.AliasName!));
        marker = page.Truncated ? page.NextMarker : undefined;
      } while (marker);
      return { names: seen, pages };
    }

    it('defaults to 50 per page, honours Limit 1..100 and walks every alias once', async () => {
      assert.deepEqual(await walk({}), { names, pages: [50, 50, 20] });
      assert.deepEqual(await walk({ Limit: 100 }), { names, pages: [100, 20] });
      assert.deepEqual(await walk({ KeyId: pagedKey, Limit: 33 }), { names, pages: [33, 33, 33, 21] });
      await expectKmsError(p.client.send(new ListAliasesCommand({ Limit: 101 })), 'ValidationException');
      await expectKmsError(p.client.send(new ListAliasesCommand({ Limit: 0 })), 'ValidationException');
    });

    it('refuses a forged marker, and a marker from another listing', async () => {
      await expectKmsError(p.client.send(new ListAliasesCommand({ Marker: 'forged' })), 'InvalidMarkerException');
      const filtered = await p.client.send(new ListAliasesCommand({ KeyId: pagedKey, Limit: 5 }));
      await expectKmsError(
        p.client.send(new ListAliasesCommand({ Marker: filtered.NextMarker })),
        'InvalidMarkerException',
      );
    });
  });
});
