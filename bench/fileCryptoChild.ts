// Child process of bench/encryption.ts: encrypts or decrypts one file with kms/fileCrypto (as Encrypt
// File / Decrypt File do) and prints its time and peak resident memory as JSON. Its own process, so
// the peak RSS is the file operation's (plus Node and the SDK), not the bench's.
//   KMS_ENDPOINT AWS_REGION AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY KMS_KEY_ARN  node --import tsx bench/fileCryptoChild.ts encrypt|decrypt SRC DEST
import { KMSClient } from '@aws-sdk/client-kms';
import { decryptFile, encryptFile } from '../src/kms/fileCrypto';

async function main() {
  const [mode, src, dest] = process.argv.slice(2);
  const env = process.env;
  const client = new KMSClient({
    endpoint: env.KMS_ENDPOINT,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    maxAttempts: 1,
  });
  const connection = { client, region: env.AWS_REGION! };
  const startRssMiB = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  if (mode === 'encrypt') await encryptFile(connection, env.KMS_KEY_ARN!, src, dest, { bench: 'file' });
  else if (mode === 'decrypt') await decryptFile(connection, src, dest, { bench: 'file' });
  else throw new Error(`unknown mode ${mode}`);
  const ms = performance.now() - t0;
  client.destroy();
  // maxRSS is in KiB on Linux: the peak over the process's whole life.
  process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, startRssMiB }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
