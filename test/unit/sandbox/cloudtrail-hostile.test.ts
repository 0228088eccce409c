// Hostile input for the CloudTrail endpoint, on hostile.test.ts's principles: wrong types in every member of
// LookupEvents, prototype keys, deep nesting, huge values, forged and foreign NextTokens, unknown operations and seeded
// random bodies. Each answer is a CloudTrail-shaped 4xx (or an answer), given within a bound, and the store is as it was.
import * as assert from 'node:assert/strict';
import { CreateKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { seeded } from '../../support/seeded';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { raw, type RawResponse } from './raw';

/** Every hostile request is answered within this bound (generous: the machine may be busy). */
const ANSWER_MS = 2000;
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';

function assertCloudTrailError(res: RawResponse, what: string, type?: string): void {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: HTTP ${res.status} ${res.text}`);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1', what);
  assert.equal(typeof res.json?.__type, 'string', `${what}: ${res.text}`);
  assert.equal(res.headers['x-amzn-errortype'], res.json?.__type, what);
  if (type) assert.equal(res.json?.__type, type, `${what}: ${res.text}`);
}

describe('sandbox: hostile input to CloudTrail', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let keyId: string;

  /** What a client can see of the store: its keys. */
  const snapshot = async () => JSON.stringify((await t.client.send(new ListKeysCommand({}))).Keys);

  async function lookup(body: string, target = TARGET): Promise<RawResponse> {
    const started = performance.now();
    const res = await raw(t.sandbox, { service: 'cloudtrail', target, body });
    const ms = performance.now() - started;
    assert.ok(ms < ANSWER_MS, `${body.slice(0, 80)}: answered in ${ms.toFixed(0)} ms`);
    assert.ok(res.status < 500, `${body.slice(0, 80)}: HTTP ${res.status} ${res.text}`);
    return res;
  }

  before(async () => {
    t = await startTestSandbox();
    keyId = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await t.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
  });
  after(() => t?.stop());

  it('a wrong type in any member is SerializationException at once, and changes nothing', async () => {
    const before = await snapshot();
    const objectish = ['{}', '{"toString":1}', '{"__proto__":{"x":1}}'];
    const cases: Record<string, string[]> = {
      LookupAttributes: ['"x"', '1', 'true', ...objectish, '[1]', '["x"]', '[[]]', '[{"AttributeKey":1}]'],
      StartTime: ['"1"', 'true', '[1]', ...objectish],
      EndTime: ['"1"', 'true', '[1]', ...objectish],
      MaxResults: ['"1"', 'true', '1.5', '[1]', ...objectish],
      NextToken: ['1', 'true', '[]', ...objectish],
    };
    cases.LookupAttributes.push(
      '[{"AttributeKey":"EventName","AttributeValue":{}}]',
      '[{"AttributeKey":"EventName","AttributeValue":["x"]}]',
    );
    for (const [member, values] of Object.entries(cases))
      for (const value of values) {
        const body = `{"${member}":${value}}`;
        assertCloudTrailError(await lookup(body), body, 'SerializationException');
      }
    assert.equal(await snapshot(), before);
  });

  it("CloudTrail's exceptions for values out of bounds, huge values included", async () => {
    const attr = (key: string, value: string) =>
      JSON.stringify({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] });
    const cases: Array<[string, string]> = [
      [attr('EventName', ''), 'InvalidLookupAttributesException'],
      [attr('EventName', 'x'.repeat(2001)), 'InvalidLookupAttributesException'],
      [attr('NoSuchKey', 'x'), 'InvalidLookupAttributesException'],
      [attr('__proto__', 'x'), 'InvalidLookupAttributesException'],
      [attr('constructor', 'x'), 'InvalidLookupAttributesException'],
      [
        '{"LookupAttributes":[{"__proto__":{"AttributeKey":"EventName"},"AttributeValue":"x"}]}',
        'InvalidLookupAttributesException',
      ],
      [
        JSON.stringify({ LookupAttributes: Array(1000).fill({ AttributeKey: 'EventName', AttributeValue: 'x' }) }),
        'InvalidLookupAttributesException',
      ],
      ['{"StartTime":1e300}', 'InvalidTimeRangeException'],
      ['{"EndTime":-1e300}', 'InvalidTimeRangeException'],
      ['{"StartTime":2000000,"EndTime":1000000}', 'InvalidTimeRangeException'],
      ['{"MaxResults":0}', 'InvalidMaxResultsException'],
      ['{"MaxResults":51}', 'InvalidMaxResultsException'],
      ['{"MaxResults":-1e300}', 'InvalidMaxResultsException'],
      ['{"MaxResults":1e300}', 'InvalidMaxResultsException'],
      [JSON.stringify({ NextToken: 'x'.repeat(100_000) }), 'InvalidNextTokenException'],
      ['{"NextToken":""}', 'InvalidNextTokenException'],
      ['{"NextToken":"e30.AAAAAAAAAAAAAAAAAAAAAA"}', 'InvalidNextTokenException'],
      ['{"EventCategory":"management"}', 'InvalidEventCategoryException'],
    ];
    for (const [body, type] of cases) assertCloudTrailError(await lookup(body), body.slice(0, 80), type);
  });

  it('prototype keys are values like any other, and unknown members are ignored', async () => {
    for (const value of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      for (const key of ['EventName', 'Username', 'ResourceName', 'AccessKeyId', 'EventId', 'EventSource']) {
        const res = await lookup(JSON.stringify({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }));
        assert.equal(res.status, 200, `${key}=${value}: ${res.text}`);
        assert.deepEqual(res.json?.Events, [], `${key}=${value}`);
      }
    for (const body of ['{"__proto__":{"MaxResults":0}}', '{"constructor":1,"toString":"x"}', '{"Unknown":[1,2]}']) {
      const res = await lookup(body);
      assert.equal(res.status, 200, `${body}: ${res.text}`);
      assert.ok(Array.isArray(res.json?.Events));
    }
  });

  it('deep nesting and oversized bodies are refused unparsed', async () => {
    const deep = '{"LookupAttributes":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
    assertCloudTrailError(await lookup(deep), 'nested 10,000 deep', 'SerializationException');
    const objects = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    assertCloudTrailError(await lookup(objects), 'objects nested 5,000 deep', 'SerializationException');
    const huge = JSON.stringify({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x'.repeat(2_000_000) }],
    });
    const res = await lookup(huge);
    assertCloudTrailError(res, 'a 2 MB body', 'SerializationException');
    assert.equal(res.status, 413);
  });

  it('a NextToken of another query, or a KMS marker, is InvalidNextTokenException', async () => {
    for (let i = 0; i < 3; i++) await t.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const page = await lookup(
      JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }], MaxResults: 1 }),
    );
    const token = page.json?.NextToken as string;
    assert.ok(token);
    const other = JSON.stringify({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }],
      NextToken: token,
    });
    assertCloudTrailError(await lookup(other), 'another query', 'InvalidNextTokenException');
    await t.client.send(new CreateKeyCommand({}));
    const marker = (await t.client.send(new ListKeysCommand({ Limit: 1 }))).NextMarker!;
    assertCloudTrailError(await lookup(JSON.stringify({ NextToken: marker })), 'a marker', 'InvalidNextTokenException');
  });

  it('unknown operations and targets are UnknownOperationException', async () => {
    for (const target of [
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail',
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.__proto__',
      'CloudTrail_20131101.constructor',
      'TrentService.ListKeys',
      '',
    ])
      assertCloudTrailError(await lookup('{}', target), target || 'no target', 'UnknownOperationException');
  });

  it('random hostile bodies (seeded) never fault: a 4xx or an answer, CloudTrail-shaped, at once', async () => {
    const before = await snapshot();
    const random = seeded(1414);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const values = [
      '1',
      '-1',
      '0',
      '1e308',
      '"x"',
      '""',
      'true',
      'null',
      '[]',
      '{}',
      '"__proto__"',
      '"constructor"',
      '[{"AttributeKey":"EventName","AttributeValue":"Encrypt"}]',
      '[{"AttributeKey":"ReadOnly","AttributeValue":"true"}]',
      '[{"AttributeKey":"EventId","AttributeValue":"00000000-0000-4000-8000-000000000001"}]',
    ];
    const members = [
      'LookupAttributes',
      'StartTime',
      'EndTime',
      'MaxResults',
      'NextToken',
      'EventCategory',
      '__proto__',
    ];
    for (let i = 0; i < 150; i++) {
      const parts: string[] = [];
      for (let j = Math.floor(random() * 4); j >= 0; j--) parts.push(`"${pick(members)}":${pick(values)}`);
      const body = `{${parts.join(',')}}`;
      const res = await lookup(body);
      if (res.status !== 200) assertCloudTrailError(res, body);
      else assert.ok(Array.isArray(res.json?.Events), body);
    }
    assert.equal(await snapshot(), before);
  });
});
