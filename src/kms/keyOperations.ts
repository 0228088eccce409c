// Key lifecycle operations over the SDK, one function per KMS call, each taking an AbortSignal.
// This round: EnableKey and DisableKey. Issue 4 adds the rest of the lifecycle here.
import { DisableKeyCommand, EnableKeyCommand, UpdateKeyDescriptionCommand, type KMSClient } from '@aws-sdk/client-kms';

export async function enableKey(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new EnableKeyCommand({ KeyId: keyId }), { abortSignal: signal });
}

export async function disableKey(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new DisableKeyCommand({ KeyId: keyId }), { abortSignal: signal });
}

export async function updateKeyDescription(client: KMSClient, keyId: string, description: string, signal?: AbortSignal): Promise<void> {
  await client.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: description }), { abortSignal: signal });
}
