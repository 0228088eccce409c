// Changing a key's rotation: EnableKeyRotation with a period (90–2560 days), DisableKeyRotation and
// RotateKeyOnDemand. Reading it (status, past rotations, which keys rotate) is in rotationInfo.ts.
import { wholeDaysProblem } from './days';
import {
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  RotateKeyOnDemandCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';

/** AWS's bounds on RotationPeriodInDays, and its default. */
export const MIN_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 2560;
export const DEFAULT_ROTATION_DAYS = 365;

/** Why the text is not a rotation period, or undefined. */
export function rotationPeriodProblem(text: string): string | undefined {
  return wholeDaysProblem(text, MIN_ROTATION_DAYS, MAX_ROTATION_DAYS, 'rotation period');
}

export async function enableKeyRotation(
  client: KMSClient,
  keyId: string,
  periodInDays: number,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: periodInDays }), {
    abortSignal: signal,
  });
}

export async function disableKeyRotation(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new DisableKeyRotationCommand({ KeyId: keyId }), { abortSignal: signal });
}

/** Starts an on-demand rotation (at most 25 per key); KMS rotates asynchronously. */
export async function rotateKeyOnDemand(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }), { abortSignal: signal });
}
