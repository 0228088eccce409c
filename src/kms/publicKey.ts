// The public key of an asymmetric KMS key (GetPublicKey), as PEM ("-----BEGIN PUBLIC KEY-----",
// DER SubjectPublicKeyInfo in base64, 64 characters a line) — what OpenSSL and most libraries read.
import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';

export interface PublicKeyPem {
  pem: string;
  keySpec?: string;
  keyUsage?: string;
}

export async function getPublicKeyPem(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<PublicKeyPem> {
  const out = await client.send(new GetPublicKeyCommand({ KeyId: keyId }), { abortSignal: signal });
  if (!out.PublicKey) throw new Error('GetPublicKey returned no public key.');
  return { pem: derToPem(out.PublicKey, 'PUBLIC KEY'), keySpec: out.KeySpec, keyUsage: out.KeyUsage };
}

export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
