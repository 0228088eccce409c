import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateKeyCommand,
  DeriveSharedSecretCommand,
  GetPublicKeyCommand,
  SignCommand,
  type KeySpec,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const spki = (k: ReturnType<typeof generateKeyPairSync>['publicKey']) => k.export({ type: 'spki', format: 'der' });

describe('sandbox: key agreement (DeriveSharedSecret)', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  const create = async (KeySpec: KeySpec, KeyUsage: 'KEY_AGREEMENT' | 'SIGN_VERIFY' = 'KEY_AGREEMENT') =>
    (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!.KeyId!;
  const publicKeyOf = async (KeyId: string) =>
    Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId }))).PublicKey!);

  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
  });
  after(() => t.stop());

  it('derives the ECDH secret a peer derives from the GetPublicKey key, on each NIST curve, also after a restart', async () => {
    const peers: { id: string; peer: ReturnType<typeof generateKeyPairSync>; secret: Buffer }[] = [];
    for (const [spec, curve, bytes] of [
      ['ECC_NIST_P256', 'prime256v1', 32],
      ['ECC_NIST_P384', 'secp384r1', 48],
      ['ECC_NIST_P521', 'secp521r1', 66],
    ] as const) {
      const id = await create(spec);
      const pub = await kms.send(new GetPublicKeyCommand({ KeyId: id }));
      assert.equal(pub.KeyUsage, 'KEY_AGREEMENT');
      assert.deepEqual(pub.KeyAgreementAlgorithms, ['ECDH']);
      const peer = generateKeyPairSync('ec', { namedCurve: curve });
      const out = await kms.send(
        new DeriveSharedSecretCommand({ KeyId: id, KeyAgreementAlgorithm: 'ECDH', PublicKey: spki(peer.publicKey) }),
      );
      assert.match(out.KeyId!, new RegExp(`:key/${id}$`));
      assert.equal(out.KeyAgreementAlgorithm, 'ECDH');
      assert.equal(out.KeyOrigin, 'AWS_KMS');
      const secret = Buffer.from(out.SharedSecret!);
      assert.equal(secret.length, bytes);
      const theirs = diffieHellman({
        privateKey: peer.privateKey,
        publicKey: createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }),
      });
      assert.deepEqual(secret, theirs, spec);
      peers.push({ id, peer, secret });
    }
    kms = await t.restart();
    for (const { id, peer, secret } of peers) {
      const out = await kms.send(
        new DeriveSharedSecretCommand({ KeyId: id, KeyAgreementAlgorithm: 'ECDH', PublicKey: spki(peer.publicKey) }),
      );
      assert.deepEqual(Buffer.from(out.SharedSecret!), secret);
    }
  });

  it('two KMS keys agree with each other, and with what openssl pkeyutl -derive computes', async () => {
    const [a, b] = [await create('ECC_NIST_P256'), await create('ECC_NIST_P256')];
    const [pa, pb] = [await publicKeyOf(a), await publicKeyOf(b)];
    const ab = await kms.send(
      new DeriveSharedSecretCommand({ KeyId: a, KeyAgreementAlgorithm: 'ECDH', PublicKey: pb }),
    );
    const ba = await kms.send(
      new DeriveSharedSecretCommand({ KeyId: b, KeyAgreementAlgorithm: 'ECDH', PublicKey: pa }),
    );
    assert.deepEqual(Buffer.from(ab.SharedSecret!), Buffer.from(ba.SharedSecret!));
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-ecdh-'));
    try {
      const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      await writeFile(path.join(dir, 'peer.pem'), peer.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await writeFile(path.join(dir, 'kms.der'), pa);
      await promisify(execFile)('openssl', [
        'pkeyutl',
        '-derive',
        '-inkey',
        path.join(dir, 'peer.pem'),
        '-peerkey',
        path.join(dir, 'kms.der'),
        '-peerform',
        'DER',
        '-out',
        path.join(dir, 'secret.bin'),
      ]);
      const kmsSide = await kms.send(
        new DeriveSharedSecretCommand({ KeyId: a, KeyAgreementAlgorithm: 'ECDH', PublicKey: spki(peer.publicKey) }),
      );
      assert.deepEqual(Buffer.from(kmsSide.SharedSecret!), await readFile(path.join(dir, 'secret.bin')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a key of another usage, a peer key on another curve or malformed, and signing with an agreement key', async () => {
    const agree = await create('ECC_NIST_P384');
    const signer = await create('ECC_NIST_P384', 'SIGN_VERIFY');
    const peer = spki(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey);
    await expectKmsError(
      kms.send(new DeriveSharedSecretCommand({ KeyId: signer, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })),
      'InvalidKeyUsageException',
    );
    const other = spki(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
    await expectKmsError(
      kms.send(new DeriveSharedSecretCommand({ KeyId: agree, KeyAgreementAlgorithm: 'ECDH', PublicKey: other })),
      'ValidationException',
    );
    const rsa = spki(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
    await expectKmsError(
      kms.send(new DeriveSharedSecretCommand({ KeyId: agree, KeyAgreementAlgorithm: 'ECDH', PublicKey: rsa })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(
        new DeriveSharedSecretCommand({ KeyId: agree, KeyAgreementAlgorithm: 'ECDH', PublicKey: Buffer.from('junk') }),
      ),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new DeriveSharedSecretCommand({ KeyId: agree, KeyAgreementAlgorithm: 'DH' as 'ECDH', PublicKey: peer })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(
        new DeriveSharedSecretCommand({ KeyId: agree, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, DryRun: true }),
      ),
      'DryRunOperationException',
    );
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: agree, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' })),
      'InvalidKeyUsageException',
    );
  });
});
