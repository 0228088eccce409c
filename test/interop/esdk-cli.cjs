#!/usr/bin/env node
// A separate, plain Node program that uses the AWS Encryption SDK the stock way (buildClient,
// KmsKeyringNode with the SDK's own getClient(KMS, …) client supplier) — the interop partner of the
// extension's envelope encryption. Reads stdin, writes stdout.
//   KMS_ENDPOINT=… AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… AWS_REGION=… \
//     node test/interop/esdk-cli.cjs encrypt <key-arn> [k=v …]  |  node test/interop/esdk-cli.cjs decrypt
// decrypt prints the plaintext; with --context it prints the message's encryption context as JSON instead.
const { buildClient, CommitmentPolicy, KmsKeyringNode, getClient } = require('@aws-crypto/client-node');
const { KMS } = require('@aws-sdk/client-kms');

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const clientProvider = getClient(KMS, {
  endpoint: process.env.KMS_ENDPOINT,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks);
}

async function main() {
  const [mode, keyArn, ...pairs] = process.argv.slice(2);
  const input = await readStdin();
  if (mode === 'encrypt') {
    const encryptionContext = Object.fromEntries(pairs.map((p) => p.split('=')));
    const { result } = await encrypt(new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider }), input, {
      encryptionContext,
    });
    process.stdout.write(result);
  } else if (mode === 'decrypt') {
    const { plaintext, messageHeader } = await decrypt(new KmsKeyringNode({ discovery: true, clientProvider }), input);
    if (keyArn === '--context') process.stdout.write(JSON.stringify(messageHeader.encryptionContext));
    else process.stdout.write(plaintext);
  } else {
    throw new Error('usage: esdk-cli.cjs encrypt <key-arn> [k=v …] | decrypt [--context]');
  }
}

main().catch((err) => {
  console.error(`${err.name}: ${err.message}`);
  process.exit(1);
});
