// Reading a key's rotation for the tree and the key details: whether the key can rotate at all
// (decided from its metadata, without a call), GetKeyRotationStatus (enabled, period, next date) and
// every past rotation (ListKeyRotations pages of up to 1000). Changing rotation lives in rotation.ts.
import {
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  type KeyMetadata,
  type KMSClient,
  type RotationsListEntry,
} from '@aws-sdk/client-kms';
import { collectPages, type ListOptions } from './listing';

export interface RotationStatus {
  enabled: boolean;
  periodInDays?: number;
  nextRotationDate?: Date;
  /** Set while an on-demand rotation is in progress. */
  onDemandRotationStartDate?: Date;
}

/**
 * Why KMS cannot rotate this key, or undefined when it can. AWS rotates only symmetric encryption keys
 * whose material KMS generated (not asymmetric, HMAC, imported or custom key store keys).
 */
export function rotationUnsupportedReason(metadata: KeyMetadata): string | undefined {
  if (metadata.KeySpec && metadata.KeySpec !== 'SYMMETRIC_DEFAULT') return `${metadata.KeySpec} keys do not rotate`;
  if (metadata.Origin === 'EXTERNAL') return 'keys with imported material do not rotate automatically';
  if (metadata.Origin && metadata.Origin !== 'AWS_KMS') return 'keys in a custom key store do not rotate';
  return undefined;
}

export async function getRotationStatus(
  client: KMSClient,
  keyId: string,
  signal?: AbortSignal,
): Promise<RotationStatus> {
  const out = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }), { abortSignal: signal });
  return {
    enabled: !!out.KeyRotationEnabled,
    periodInDays: out.RotationPeriodInDays,
    nextRotationDate: out.NextRotationDate,
    onDemandRotationStartDate: out.OnDemandRotationStartDate,
  };
}

/** Every completed rotation of the key, oldest first as KMS lists them. */
export function listAllKeyRotations(
  client: KMSClient,
  keyId: string,
  options: ListOptions = {},
): Promise<RotationsListEntry[]> {
  const { signal, pageSize = 1000 } = options;
  return collectPages(async (Marker) => {
    const out = await client.send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: pageSize, Marker }), {
      abortSignal: signal,
    });
    return { items: out.Rotations ?? [], truncated: !!out.Truncated, nextMarker: out.NextMarker };
  }, signal);
}
