// An SDK client on the extension's own sandbox connection (its Region, or another), for tests to arrange and check state.
import { KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../../src/extension';

export async function sandboxClient(api: ExtensionApi, region?: string): Promise<KMSClient> {
  const { connection } = await api.services.connections.get();
  const s = connection.settings;
  if (s.kind !== 'sandbox') throw new Error('the integration tests expect kmsExplorer.connection = sandbox');
  return new KMSClient({
    endpoint: s.endpoint,
    region: region ?? s.region,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    maxAttempts: 1,
  });
}
