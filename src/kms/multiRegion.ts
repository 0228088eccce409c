// Multi-Region keys: ReplicateKey and UpdatePrimaryRegion, one function per call, each with an AbortSignal.
import {
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
  type KeyMetadata,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';

export interface ReplicaChoices {
  /** Empty: the replica gets an empty description (not the primary's). */
  description: string;
  tags: Tag[];
  /** Undefined: the default key policy (not the primary's). */
  policy?: string;
}

/** Replicates the primary key (id or ARN, in the client's Region) into `region`; the replica's metadata. */
export async function replicateKey(
  client: KMSClient,
  keyId: string,
  region: string,
  choices: ReplicaChoices,
  signal?: AbortSignal,
): Promise<KeyMetadata | undefined> {
  const out = await client.send(
    new ReplicateKeyCommand({
      KeyId: keyId,
      ReplicaRegion: region,
      Description: choices.description || undefined,
      Tags: choices.tags.length > 0 ? choices.tags : undefined,
      Policy: choices.policy,
    }),
    { abortSignal: signal },
  );
  return out.ReplicaKeyMetadata;
}

/** Makes the replica in `region` the primary key (the client is the current primary's Region). */
export async function updatePrimaryRegion(
  client: KMSClient,
  keyId: string,
  region: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: region }), { abortSignal: signal });
}
