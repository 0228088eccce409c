// EnableKey, DisableKey and UpdateKeyDescription over the SDK, each taking an AbortSignal.
import { DisableKeyCommand, EnableKeyCommand, UpdateKeyDescriptionCommand, type KMSClient } from '@aws-sdk/client-kms';

export async function enableKey(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new EnableKeyCommand({ KeyId: keyId }), { abortSignal: signal });
}

export async function disableKey(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new DisableKeyCommand({ KeyId: keyId }), { abortSignal: signal });
}

export async function updateKeyDescription(
  client: KMSClient,
  keyId: string,
  description: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: description }), {
    abortSignal: signal,
  });
}
