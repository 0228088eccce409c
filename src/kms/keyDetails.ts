// "Show Key Details": everything about one key in one object — DescribeKey, aliases, grants, tags,
// rotation (status and past rotations) and the key policy. Each part is read independently: a part
// that fails (e.g. AccessDenied on the policy) becomes { error } and the others still show.
import { DescribeKeyCommand, GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { explainKmsError } from './errors';
import { listAllAliases, listAllGrants } from './listing';
import { getRotationStatus, listAllKeyRotations, rotationUnsupportedReason } from './rotationInfo';
import { listAllTags } from './tags';

export type Part<T> = T | { error: string };

export interface KeyDetails {
  KeyMetadata: Part<unknown>;
  Aliases: Part<string[]>;
  Grants: Part<unknown[]>;
  Tags: Part<Record<string, string>>;
  Rotation: Part<unknown>;
  KeyPolicy: Part<unknown>;
}

export async function readKeyDetails(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<KeyDetails> {
  const part = async <T>(read: () => Promise<T>): Promise<Part<T>> => {
    try {
      return await read();
    } catch (err) {
      if (signal?.aborted) throw err;
      const e = explainKmsError(err);
      return { error: `${e.code}: ${e.detail ?? e.summary}` };
    }
  };
  const metadata = (await client.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal: signal })).KeyMetadata;
  if (!metadata?.KeyId) throw new Error('DescribeKey returned no key metadata.');
  const arn = metadata.Arn ?? metadata.KeyId;
  const [aliases, grants, tags, rotation, policy] = await Promise.all([
    part(async () => (await listAllAliases(client, { keyId: metadata.KeyId, signal })).map((a) => a.AliasName ?? '')),
    part(() => listAllGrants(client, arn, { signal })),
    part(async () =>
      Object.fromEntries((await listAllTags(client, arn, { signal })).map((t) => [t.TagKey ?? '', t.TagValue ?? ''])),
    ),
    part(async () => {
      const unsupported = rotationUnsupportedReason(metadata);
      if (unsupported) return { Supported: false, Reason: unsupported };
      const [status, rotations] = await Promise.all([
        getRotationStatus(client, arn, signal),
        listAllKeyRotations(client, arn, { signal }),
      ]);
      // KMS's own member names (GetKeyRotationStatus, ListKeyRotations), like every other part.
      return {
        Supported: true,
        KeyRotationEnabled: status.enabled,
        RotationPeriodInDays: status.periodInDays,
        NextRotationDate: status.nextRotationDate,
        OnDemandRotationStartDate: status.onDemandRotationStartDate,
        PastRotations: rotations,
      };
    }),
    part(async () => {
      const text =
        (await client.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }), { abortSignal: signal }))
          .Policy ?? '';
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }),
  ]);
  return { KeyMetadata: metadata, Aliases: aliases, Grants: grants, Tags: tags, Rotation: rotation, KeyPolicy: policy };
}

/** The details as the JSON document the user reads (dates as ISO strings, 2-space indent). */
export function keyDetailsJson(details: KeyDetails): string {
  return JSON.stringify(details, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v), 2) + '\n';
}
