// Hostile input: wrong types in every member of every operation (from the KMS model the SDK is built from),
// prototype keys in every map, deep nesting, wildcard bombs, header tricks and stalled bodies. Each answer must be
// an AWS-shaped 4xx, given within a bound, and must leave the store as it was. Cases are seeded and bounded.
import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { inputShapes } from '../../../scripts/sdk-shapes.mjs';
import { INPUT_SHAPES } from '../../../src/sandbox/shapes';
import type { MemberShape } from '../../../src/sandbox/validate';
import { allow, iamClient, stsClient, trustAccount, userWithKey } from '../../support/iam';
import { seeded } from '../../support/seeded';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { raw, signedHeaders, type RawOptions, type RawResponse } from './raw';

/** Every hostile request is answered within this bound (generous: the machine may be busy). */
const ANSWER_MS = 2000;
/** The wildcard bomb's bound: a backtracking matcher takes days on it. */
const BOMB_MS = 250;

const deep = (depth: number, leaf: string) => '['.repeat(depth) + leaf + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** JSON texts of values that are not of `shape`'s type (as members appear in a body). */
function wrongValues(shape: MemberShape): string[] {
  const objectish = ['{}', '{"toString":1}', '{"__proto__":{"x":1}}'];
  if (typeof shape === 'string') {
    switch (shape) {
      case 's':
        return ['1', 'true', '[]', '["x"]', ...objectish];
      case 'n':
      case 't':
        return ['"1"', 'true', '[1]', ...objectish];
      case 'b':
        return ['"true"', '1', '[]', ...objectish];
      case 'B':
        return ['1', '"not*base64!"', '[]', ...objectish];
      default:
        return [];
    }
  }
  if ('list' in shape)
    return [
      '"x"',
      '{}',
      '{"length":1,"0":"x"}',
      `[${wrongValues(shape.list)[0] ?? '1'}]`,
      '[null]',
      typeof shape.list === 'string' ? '[{"toString":1}]' : '["x"]',
    ];
  if ('map' in shape)
    return [
      '"x"',
      '[]',
      '[["k","v"]]',
      `{"k":${wrongValues(shape.map)[0] ?? '1'}}`,
      '{"__proto__":{"k":1}}',
      '{"constructor":{}}',
    ];
  return ['"x"', '1', '[]', '[{}]'];
}

interface Case {
  op: string;
  member: string;
  body: string;
}

/** For every operation and member (nested members included): a body with that member of a wrong type. */
function wrongTypeCases(
  shapes: Record<string, Record<string, MemberShape>>,
  pick: () => number,
  perMember: number,
): Case[] {
  const cases: Case[] = [];
  const visit = (op: string, where: string, members: Record<string, MemberShape>, wrap: (inner: string) => string) => {
    for (const [name, shape] of Object.entries(members)) {
      const values = wrongValues(shape);
      // A seeded sample of the wrong values, always including the first (the plainest wrong type).
      const chosen = new Set([values[0]]);
      while (chosen.size < Math.min(perMember, values.length)) chosen.add(values[Math.floor(pick() * values.length)]);
      for (const v of chosen)
        if (v !== undefined)
          cases.push({ op, member: `${where}${name}`, body: wrap(`{${JSON.stringify(name)}:${v}}`) });
      if (typeof shape === 'object' && 'struct' in shape)
        visit(op, `${where}${name}.`, shape.struct, (inner) => wrap(`{${JSON.stringify(name)}:${inner}}`));
      if (typeof shape === 'object' && 'list' in shape && typeof shape.list === 'object' && 'struct' in shape.list)
        visit(op, `${where}${name}[].`, shape.list.struct, (inner) => wrap(`{${JSON.stringify(name)}:[${inner}]}`));
    }
  };
  for (const [op, members] of Object.entries(shapes)) visit(op, '', members, (inner) => inner);
  return cases;
}

/** Writes `bytes` on a new connection and reads everything until the server closes it. */
function overSocket(url: URL, bytes: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('utf8')));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

function assertAwsError(res: RawResponse, what: string, type?: string | RegExp): void {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: HTTP ${res.status} ${res.text}`);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1', what);
  assert.equal(typeof res.json?.__type, 'string', `${what}: ${res.text}`);
  assert.equal(res.headers['x-amzn-errortype'], res.json?.__type, what);
  if (typeof type === 'string') assert.equal(res.json?.__type, type, `${what}: ${res.text}`);
  else if (type) assert.match(String(res.json?.__type), type, `${what}: ${res.text}`);
}

describe('sandbox: hostile input', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let keyId: string;

  /** Everything a client can see of the store: keys, their metadata, aliases, grants, tags, policies; region folders. */
  async function snapshot(): Promise<string> {
    const kms = t.client;
    const keys = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys ?? [];
    const parts: unknown[] = [(await kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases];
    for (const k of keys) {
      const KeyId = k.KeyId!;
      parts.push(
        (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata,
        (await kms.send(new ListGrantsCommand({ KeyId }))).Grants,
        (await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags,
        (await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy,
      );
    }
    parts.push(await readdir(path.join(t.dataDir, 'regions')).catch(() => []));
    return JSON.stringify(parts);
  }

  async function timed(opts: RawOptions): Promise<RawResponse & { ms: number }> {
    const started = performance.now();
    const res = await raw(t.sandbox, opts);
    return { ...res, ms: performance.now() - started };
  }

  const call = (op: string, body: unknown) =>
    timed({ target: `TrentService.${op}`, body: typeof body === 'string' ? body : JSON.stringify(body) });

  before(async () => {
    t = await startTestSandbox();
    const kms = t.client;
    keyId = (
      await kms.send(new CreateKeyCommand({ Description: 'hostile', Tags: [{ TagKey: 'team', TagValue: 'a' }] }))
    ).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/hostile', TargetKeyId: keyId }));
    await kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: 'arn:aws:iam::111122223333:role/app',
        Operations: ['Decrypt'],
      }),
    );
    await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
  });
  after(() => t?.stop());

  it('the sandbox checks members against the same model the SDK is built from', () => {
    assert.deepEqual(
      INPUT_SHAPES,
      inputShapes(),
      'src/sandbox/shapes.ts is out of date: run node scripts/gen-sandbox-shapes.mjs',
    );
  });

  it('a wrong type in any member of any operation is SerializationException at once, and changes nothing', async () => {
    const before = await snapshot();
    const cases = wrongTypeCases(inputShapes(), seeded(0x5eed), 3);
    assert.ok(cases.length > 500, `only ${cases.length} cases`);
    const unknown = new Set<string>();
    for (const c of cases) {
      const res = await call(c.op, c.body);
      const what = `${c.op} ${c.member} = ${c.body}`;
      assert.ok(res.ms < ANSWER_MS, `${what}: ${res.ms} ms`);
      if (res.json?.__type === 'UnknownOperationException') {
        unknown.add(c.op);
        continue;
      }
      assertAwsError(res, what, 'SerializationException');
    }
    // Only operations the sandbox does not have may be unknown; they are refused before the body is read.
    for (const op of unknown) assert.equal((await call(op, {})).json?.__type, 'UnknownOperationException', op);
    assert.ok(unknown.size < 10, `unknown operations: ${[...unknown].join(', ')}`);
    assert.equal(await snapshot(), before);
  });

  it('a blob must be canonical base64 (whole groups of four, at most two = at the end), else SerializationException', async () => {
    const before = await snapshot();
    const notBase64 = [
      'A',
      'AAA',
      'AAAAA',
      'AA=A',
      'A===',
      '====',
      'AAAA====',
      'AA==AAAA',
      'AAA*',
      'AAAA\n',
      ' AAA',
      'AA-_',
    ];
    for (const Plaintext of notBase64) {
      const res = await call('Encrypt', { KeyId: keyId, Plaintext });
      assertAwsError(res, JSON.stringify(Plaintext), 'SerializationException');
      assert.equal(res.json?.message, "Base64 encoded value of 'plaintext' is not valid", JSON.stringify(Plaintext));
    }
    for (const Plaintext of ['AAAA', 'AA==', 'AAA=', 'AAAAAA==', 'AAAAAAA=', '+/+/']) {
      const res = await call('Encrypt', { KeyId: keyId, Plaintext });
      assert.equal(res.status, 200, `${JSON.stringify(Plaintext)}: ${res.text}`);
    }
    assert.equal(await snapshot(), before);
  });

  it('random hostile bodies (seeded) never fault: a 4xx or an answer, AWS-shaped, at once', async () => {
    const before = await snapshot();
    const pick = seeded(20261129);
    const shapes = inputShapes();
    const ops = Object.keys(shapes).filter(
      (op) =>
        !/^(Create|Put|Tag|Untag|Update|Schedule|Cancel|Enable|Disable|Delete|Import|Retire|Revoke|Rotate|Replicate|Connect)/.test(
          op,
        ),
    );
    const atoms = [
      'null',
      '0',
      '-1',
      '1e308',
      '1.5',
      '""',
      '"x"',
      'true',
      '{}',
      '[]',
      '"__proto__"',
      '{"__proto__":"x"}',
      '{"constructor":"x"}',
      '"alias/*"',
      deep(40, '1'),
      deepObject(40),
      `"${'*'.repeat(64)}"`,
      '"\\u0000"',
      `"${keyId}"`,
    ];
    for (let i = 0; i < 300; i++) {
      const op = ops[Math.floor(pick() * ops.length)];
      const members = Object.keys(shapes[op]);
      const fields = members
        .filter(() => pick() < 0.5)
        .map((m) => `${JSON.stringify(m)}:${atoms[Math.floor(pick() * atoms.length)]}`);
      const res = await call(op, `{${fields.join(',')}}`);
      const what = `${op} {${fields.join(',')}}`;
      assert.ok(res.ms < ANSWER_MS, `${what}: ${res.ms} ms`);
      if (res.status !== 200) assertAwsError(res, what);
    }
    assert.equal(await snapshot(), before);
  });

  it('lists holding objects or nested 10,000 deep are SerializationException, never a fault', async () => {
    const before = await snapshot();
    const bodies: Array<[string, string]> = [
      ['DescribeKey', `{"KeyId":"${keyId}","GrantTokens":[{"toString":1}]}`],
      ['DescribeKey', `{"KeyId":"${keyId}","GrantTokens":${deep(10_000, '"x"')}}`],
      ['CreateGrant', `{"KeyId":"${keyId}","GranteePrincipal":"a","Operations":[{"toString":1}]}`],
      ['CreateGrant', `{"KeyId":"${keyId}","GranteePrincipal":"a","Operations":${deep(10_000, '"Decrypt"')}}`],
      ['UntagResource', `{"KeyId":"${keyId}","TagKeys":[{"toString":1}]}`],
      ['UntagResource', `{"KeyId":"${keyId}","TagKeys":${deep(10_000, '"team"')}}`],
      ['Encrypt', `{"KeyId":"${keyId}","Plaintext":"eA==","EncryptionContext":${deepObject(10_000)}}`],
      ['ListKeys', deep(100_000, '')],
    ];
    for (const [op, body] of bodies) {
      const res = await call(op, body);
      assert.ok(res.ms < ANSWER_MS, `${op}: ${res.ms} ms`);
      assertAwsError(res, `${op} ${body.slice(0, 60)}`, 'SerializationException');
    }
    assert.equal(await snapshot(), before);
  });

  it('__proto__ and constructor in an encryption context are keys like any other', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const context = `{${JSON.stringify(name)}:"x"}`;
      const enc = await call('Encrypt', `{"KeyId":"${keyId}","Plaintext":"c2VjcmV0","EncryptionContext":${context}}`);
      assert.equal(enc.status, 200, enc.text);
      const blob = String(enc.json?.CiphertextBlob);
      assertAwsError(
        await call('Decrypt', { CiphertextBlob: blob }),
        `Decrypt without ${name}`,
        'InvalidCiphertextException',
      );
      assertAwsError(
        await call('Decrypt', `{"CiphertextBlob":"${blob}","EncryptionContext":{${JSON.stringify(name)}:"y"}}`),
        `Decrypt, other ${name}`,
        'InvalidCiphertextException',
      );
      const dec = await call('Decrypt', `{"CiphertextBlob":"${blob}","EncryptionContext":${context}}`);
      assert.equal(dec.status, 200, dec.text);
      assert.equal(dec.json?.Plaintext, 'c2VjcmV0');
      // ReEncrypt and GenerateDataKey bind it the same way.
      const re = await call(
        'ReEncrypt',
        `{"CiphertextBlob":"${blob}","SourceEncryptionContext":${context},"DestinationKeyId":"${keyId}","DestinationEncryptionContext":${context}}`,
      );
      assert.equal(re.status, 200, re.text);
      assertAwsError(
        await call('Decrypt', { CiphertextBlob: re.json?.CiphertextBlob }),
        `Decrypt the ReEncrypted without ${name}`,
        'InvalidCiphertextException',
      );
      const dk = await call(
        'GenerateDataKey',
        `{"KeyId":"${keyId}","KeySpec":"AES_256","EncryptionContext":${context}}`,
      );
      assertAwsError(
        await call('Decrypt', { CiphertextBlob: dk.json?.CiphertextBlob }),
        `Decrypt a data key without ${name}`,
        'InvalidCiphertextException',
      );
    }
  });

  it('__proto__ and constructor in grant constraints are bound, compared, listed and kept across a restart', async () => {
    // The grantee is a role of the sandbox's account that only the grant lets use the key.
    const account = t.sandbox.accountId;
    const role = `arn:aws:iam::${account}:role/constrained`;
    const iam = iamClient(t);
    await iam.send(new CreateRoleCommand({ RoleName: 'constrained', AssumeRolePolicyDocument: trustAccount(account) }));
    const assumer = await userWithKey(iam, 'assumer', allow('sts:AssumeRole'));
    iam.destroy();
    const sts = stsClient(t, assumer);
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'hostile' }))).Credentials!;
    sts.destroy();
    const made = await call(
      'CreateGrant',
      `{"KeyId":"${keyId}","GranteePrincipal":"${role}","Operations":["Encrypt","Decrypt"],"Constraints":{"EncryptionContextEquals":{"__proto__":"x","constructor":"y"}}}`,
    );
    assert.equal(made.status, 200, made.text);
    const token = String(made.json?.GrantToken);
    const grantId = String(made.json?.GrantId);
    const listed = async () => {
      const res = await call('ListGrants', { KeyId: keyId });
      const grant = (res.json?.Grants as Array<Record<string, unknown>>).find((g) => g.GrantId === grantId);
      // Compared on the raw text: a parsed object would turn "__proto__" into its prototype.
      return JSON.stringify(grant?.Constraints);
    };
    assert.equal(await listed(), '{"EncryptionContextEquals":{"__proto__":"x","constructor":"y"}}');
    const encrypt = (context: string) =>
      timed({
        target: 'TrentService.Encrypt',
        body: `{"KeyId":"${keyId}","Plaintext":"eA==","GrantTokens":["${token}"]${context}}`,
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      });
    const check = async () => {
      assertAwsError(await encrypt(''), 'grant Encrypt without a context', 'AccessDeniedException');
      assertAwsError(
        await encrypt(',"EncryptionContext":{"constructor":"y"}'),
        'grant Encrypt with half the context',
        'AccessDeniedException',
      );
      assert.equal((await encrypt(',"EncryptionContext":{"__proto__":"x","constructor":"y"}')).status, 200);
    };
    await check();
    // The same Name and constraints again is the same grant (idempotent); different ones are not.
    await t.restart();
    assert.equal(await listed(), '{"EncryptionContextEquals":{"__proto__":"x","constructor":"y"}}');
    await check();
    const revoked = await call('RevokeGrant', { KeyId: keyId, GrantId: grantId });
    assert.equal(revoked.status, 200, revoked.text);
  });

  it('__proto__ and constructor as tag keys are tags like any other, kept across a restart', async () => {
    const tagged = await call(
      'TagResource',
      `{"KeyId":"${keyId}","Tags":[{"TagKey":"__proto__","TagValue":"p"},{"TagKey":"constructor","TagValue":"c"}]}`,
    );
    assert.equal(tagged.status, 200, tagged.text);
    await t.restart();
    const tags = await call('ListResourceTags', { KeyId: keyId });
    assert.match(tags.text, /"TagKey":"__proto__","TagValue":"p"/);
    assert.match(tags.text, /"TagKey":"constructor","TagValue":"c"/);
    assert.equal((await call('UntagResource', { KeyId: keyId, TagKeys: ['__proto__', 'constructor'] })).status, 200);
    assert.deepEqual((await t.client.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [
      { TagKey: 'team', TagValue: 'a' },
    ]);
  });

  it('a wildcard bomb in a key policy answers at once and never stalls other clients', async () => {
    const before = await snapshot();
    const policy = (action: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${t.sandbox.accountId}:root` },
            Action: action,
            Resource: '*',
          },
        ],
      });
    const bombs = [
      'kms:' + '*'.repeat(40) + 'X',
      'kms:' + '*?'.repeat(60) + 'X',
      '*'.repeat(200) + 'kms:PutKeyPolicyX',
      'kms:' + '?*'.repeat(100) + 'Z',
    ];
    for (const action of bombs) {
      const other = timed({ target: 'TrentService.ListKeys' });
      const put = call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: policy(action) });
      const created = call('CreateKey', { Policy: policy(action) });
      for (const res of [await put, await created]) {
        assert.ok(res.ms < BOMB_MS, `${action}: ${res.ms.toFixed(1)} ms`);
        assertAwsError(res, action, 'MalformedPolicyDocumentException');
      }
      const listed = await other;
      assert.equal(listed.status, 200);
      assert.ok(listed.ms < BOMB_MS, `another client waited ${listed.ms.toFixed(1)} ms`);
    }
    assert.equal(await snapshot(), before);
  });

  it('a signed header sent twice is signed as its values joined with a comma, whatever the case of its name', async () => {
    const url = new URL(t.sandbox.endpoint);
    const body = '{}';
    const h = await signedHeaders(t.sandbox, {
      target: 'TrentService.ListKeys',
      body,
      headers: { 'x-custom': 'a,b' },
    });
    const send = (custom: string) =>
      overSocket(
        url,
        `POST / HTTP/1.1\r\nHost: ${h.host}\r\nContent-Type: ${h['content-type']}\r\nX-Amz-Target: ${h['x-amz-target']}\r\n` +
          `X-Amz-Date: ${h['x-amz-date']}\r\nX-Amz-Content-Sha256: ${h['x-amz-content-sha256']}\r\n` +
          `Authorization: ${h.authorization}\r\n${custom}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    assert.match(await send('X-Custom: a\r\nx-custom: b\r\n'), /^HTTP\/1\.1 200 /);
    const once = await send('x-custom: a\r\n');
    assert.match(once, /^HTTP\/1\.1 400 /);
    assert.match(once, /InvalidSignatureException/);
    assert.match(await send('x-custom: b\r\nX-CUSTOM: a\r\n'), /^HTTP\/1\.1 400 /);
  });

  it('SignedHeaders naming what the request does not have is InvalidSignatureException before anything runs', async () => {
    const before = await snapshot();
    const body = JSON.stringify({ Description: 'must not be created' });
    // Each twice: a SignedHeaders list is checked once and remembered, and the second answer must be the same.
    const many = Array.from({ length: 1500 }, (_, i) => `x-h${i}`).join(';');
    const tricks = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x-absent', 'HOST', '', 'host', many];
    for (const trick of [...tricks, ...tricks]) {
      const res = await timed({
        target: 'TrentService.CreateKey',
        body,
        authorizationAfterSigning: (a) => a.replace('SignedHeaders=', `SignedHeaders=${trick};`),
      });
      assert.ok(res.ms < ANSWER_MS);
      assertAwsError(res, `SignedHeaders=${trick.slice(0, 40)};...`, 'InvalidSignatureException');
    }
    assertAwsError(
      await timed({
        target: 'TrentService.CreateKey',
        body,
        authorizationAfterSigning: (a) => a.replace(/SignedHeaders=[^,]*/, 'SignedHeaders=__proto__'),
      }),
      'no host',
      'InvalidSignatureException',
    );
    for (const target of [
      'TrentService.__proto__',
      'TrentService.constructor',
      'TrentService.toString',
      'TrentService.hasOwnProperty',
    ])
      assertAwsError(await timed({ target, body }), target, 'UnknownOperationException');
    assert.equal(await snapshot(), before);
  });

  it('a credential scope of a Region AWS does not have is UnrecognizedClientException and opens no store', async () => {
    const before = await snapshot();
    for (const region of ['../..', 'nowhere-1', '..', 'us-east-1/..', 'US-EAST-1', 'aws-global', 'x'.repeat(64)]) {
      const res = await timed({ target: 'TrentService.CreateKey', region });
      assertAwsError(res, region, 'UnrecognizedClientException');
    }
    assert.equal(await snapshot(), before);
  });

  it('what is not HTTP is answered AWS-shaped, and the server keeps serving', async () => {
    const url = new URL(t.sandbox.endpoint);
    for (const junk of [
      'GARBAGE / HTTP/1.1\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST / HTTP/1.1\r\nBad Header\r\n\r\n',
    ]) {
      const text = await overSocket(url, junk);
      assert.match(text, /^HTTP\/1\.1 400 /, JSON.stringify(junk));
      assert.match(text, /\{"__type":"SerializationException","message":"[^"]+"\}$/, JSON.stringify(junk));
    }
    assert.ok((await t.client.send(new ListKeysCommand({}))).Keys);
  });

  it('a body that stops arriving is answered RequestTimeoutException, AWS-shaped, while others are served', async () => {
    const slow = await startTestSandbox({ bodyTimeoutMs: 300 });
    try {
      const url = new URL(slow.sandbox.endpoint);
      const head = `POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\n`;
      const answer = overSocket(url, `${head}Content-Length: 100\r\n\r\n{"Li`);
      assert.ok((await slow.client.send(new ListKeysCommand({}))).Keys);
      const text = await answer;
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.match(text, /x-amzn-ErrorType: RequestTimeoutException/i);
      assert.match(text, /\{"__type":"RequestTimeoutException","message":"[^"]+"\}$/);
    } finally {
      await slow.stop();
    }
  });
});
