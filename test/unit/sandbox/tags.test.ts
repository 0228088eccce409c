import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
  DisableKeyCommand,
  CancelKeyDeletionCommand,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: tags', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let keyId: string;
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    keyId = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'blue' }] }))).KeyMetadata!
      .KeyId!;
  });
  after(() => t.stop());

  const tagsOf = async (id = keyId): Promise<Tag[]> =>
    (await kms.send(new ListResourceTagsCommand({ KeyId: id }))).Tags!;

  it('TagResource adds tags and overwrites the value of a key it already has; kept across a restart', async () => {
    await kms.send(
      new TagResourceCommand({
        KeyId: keyId,
        Tags: [
          { TagKey: 'env', TagValue: 'dev' },
          { TagKey: 'team', TagValue: 'red' },
        ],
      }),
    );
    assert.deepEqual(await tagsOf(), [
      { TagKey: 'env', TagValue: 'dev' },
      { TagKey: 'team', TagValue: 'red' },
    ]);
    await kms.send(
      new TagResourceCommand({
        KeyId: keyId,
        Tags: [
          { TagKey: 'empty', TagValue: '' },
          { TagKey: 'Cost Center: a/b=c+d-e@f_g.h', TagValue: 'Zürich 42' },
        ],
      }),
    );
    kms = await t.restart();
    const tags = await tagsOf();
    assert.equal(tags.length, 4);
    assert.deepEqual(
      tags.find((x) => x.TagKey === 'empty'),
      { TagKey: 'empty', TagValue: '' },
    );
    assert.equal(tags.find((x) => x.TagKey?.startsWith('Cost'))?.TagValue, 'Zürich 42');
  });

  it('UntagResource removes the named keys and ignores keys the key does not have', async () => {
    await kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['empty', 'not-there'] }));
    assert.ok(!(await tagsOf()).some((x) => x.TagKey === 'empty'));
    kms = await t.restart();
    assert.ok(!(await tagsOf()).some((x) => x.TagKey === 'empty'));
    assert.ok((await tagsOf()).some((x) => x.TagKey === 'env'));
  });

  it('refuses tags against AWS rules and changes nothing', async () => {
    const before = await tagsOf();
    const refuse = (tags: Tag[], name: string) =>
      expectKmsError(kms.send(new TagResourceCommand({ KeyId: keyId, Tags: tags })), name);
    await refuse([{ TagKey: 'aws:created-by', TagValue: 'x' }], 'TagException');
    await refuse([{ TagKey: 'AWS:Upper', TagValue: 'x' }], 'TagException');
    await refuse([{ TagKey: 'bad#key', TagValue: 'x' }], 'TagException');
    await refuse([{ TagKey: 'ok', TagValue: 'bad|value' }], 'TagException');
    await refuse([{ TagKey: 'k'.repeat(129), TagValue: 'x' }], 'ValidationException');
    await refuse([{ TagKey: '', TagValue: 'x' }], 'ValidationException');
    await refuse([{ TagKey: 'long', TagValue: 'v'.repeat(257) }], 'ValidationException');
    await expectKmsError(kms.send(new TagResourceCommand({ KeyId: keyId, Tags: undefined })), 'ValidationException');
    await expectKmsError(kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['aws:x'] })), 'TagException');
    await expectKmsError(
      kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: undefined })),
      'ValidationException',
    );
    assert.deepEqual(await tagsOf(), before);
  });

  it('allows 50 tags on a key; one more is LimitExceededException (51 in CreateKey: TagException); a key twice is TagException', async () => {
    const id = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const fifty = Array.from({ length: 50 }, (_, i) => ({
      TagKey: `k${String(i).padStart(2, '0')}`,
      TagValue: `${i}`,
    }));
    await kms.send(new TagResourceCommand({ KeyId: id, Tags: fifty.slice(0, 30) }));
    await kms.send(new TagResourceCommand({ KeyId: id, Tags: fifty.slice(30) }));
    await kms.send(
      new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'k00', TagValue: 'overwrite is not a new tag' }] }),
    );
    await expectKmsError(
      kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'one-more', TagValue: 'x' }] })),
      'LimitExceededException',
    );
    const tooMany = await expectKmsError(
      kms.send(new CreateKeyCommand({ Tags: [...fifty, { TagKey: 'one-more', TagValue: 'x' }] })),
      'TagException',
    );
    assert.equal(tooMany.message, 'Too many tags');
    const twice = await expectKmsError(
      kms.send(
        new TagResourceCommand({
          KeyId: id,
          Tags: [
            { TagKey: 'd', TagValue: '1' },
            { TagKey: 'd', TagValue: '2' },
          ],
        }),
      ),
      'TagException',
    );
    assert.equal(twice.message, 'Duplicate tag keys');
    await expectKmsError(
      kms.send(
        new CreateKeyCommand({
          Tags: [
            { TagKey: 'd', TagValue: '1' },
            { TagKey: 'd', TagValue: '1' },
          ],
        }),
      ),
      'TagException',
    );
    // Paging: Limit 1–50, markers bound to the key.
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await kms.send(new ListResourceTagsCommand({ KeyId: id, Limit: 20, Marker: marker }));
      pages++;
      seen.push(...page.Tags!.map((x) => x.TagKey!));
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      fifty.map((x) => x.TagKey),
    );
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId: id, Limit: 51 })), 'ValidationException');
    const first = await kms.send(new ListResourceTagsCommand({ KeyId: id, Limit: 5 }));
    await expectKmsError(
      kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: first.NextMarker })),
      'InvalidMarkerException',
    );
    await expectKmsError(
      kms.send(new ListResourceTagsCommand({ KeyId: id, Marker: 'forged.marker' })),
      'InvalidMarkerException',
    );
  });

  it('names keys by id or ARN only; tags of a key pending deletion read but do not change', async () => {
    const md = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'a', TagValue: '1' }] }))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/tagged', TargetKeyId: md.KeyId }));
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId: 'alias/tagged' })), 'NotFoundException');
    await kms.send(new TagResourceCommand({ KeyId: md.Arn, Tags: [{ TagKey: 'b', TagValue: '2' }] }));
    await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
    await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'c', TagValue: '3' }] }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    const err = await expectKmsError(
      kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'd', TagValue: '4' }] })),
      'KMSInvalidStateException',
    );
    assert.equal(err.message, `${md.Arn} is pending deletion.`);
    await expectKmsError(
      kms.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['a'] })),
      'KMSInvalidStateException',
    );
    assert.deepEqual(
      (await tagsOf(md.KeyId)).map((x) => x.TagKey),
      ['a', 'b', 'c'],
    );
    await kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
  });
});

describe('sandbox: UpdateKeyDescription', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(() => t.stop());

  it('changes the description (by key id or ARN), kept across a restart; refuses bad input and keys pending deletion', async () => {
    let kms = t.client;
    const md = (await kms.send(new CreateKeyCommand({ Description: 'old' }))).KeyMetadata!;
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'new description' }));
    kms = await t.restart();
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Description,
      'new description',
    );
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.Arn, Description: '' }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Description, '');
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'kept' }));

    await expectKmsError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'x'.repeat(8193) })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: undefined })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: '99999999-9999-9999-9999-999999999999', Description: 'x' })),
      'NotFoundException',
    );
    await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'disabled keys take it' }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    await expectKmsError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'late' })),
      'KMSInvalidStateException',
    );
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Description,
      'disabled keys take it',
    );
  });
});
