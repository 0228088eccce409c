// Cryptography follows the key's Region: the KMS clients a decrypt may need besides the connection's (the
// Regions shown, for raw blobs whose Region is not readable; the Region of each Encryption SDK message's
// key, shown or not), and the catalogs of every Region shown for the encryption key picker.
import type { KMSClient } from '@aws-sdk/client-kms';
import type { ActiveConnection } from '../connection/manager';
import { regionOfArn } from '../kms/keys';
import type { Services } from '../ui/services';
import { parseCiphertext, type SelectionText } from './selectionChecks';

/** Clients by Region, the connection's own left out: the Regions shown and those of the messages' keys. */
export async function decryptRegionClients(
  services: Services,
  active: ActiveConnection,
  texts: readonly SelectionText[],
): Promise<Map<string, KMSClient>> {
  // The header parser is a chunk of its own, loaded on first use.
  const { recognizeCiphertext } = await import('../kms/ciphertextFormat');
  const arns = texts.flatMap((t) => {
    const parsed = parseCiphertext(t.text);
    if ('reason' in parsed) return [];
    const format = recognizeCiphertext(parsed.blob);
    return format?.kind === 'encryption-sdk' ? format.keyArns : [];
  });
  return regionClients(services, active, [...(await services.connections.shownRegions()), ...keyRegions(arns)]);
}

/** The Regions key ARNs name. */
export function keyRegions(arns: readonly string[]): string[] {
  return arns.flatMap((arn) => regionOfArn(arn) ?? []);
}

/** Clients for these Regions, the connection's own left out. */
export async function regionClients(
  services: Services,
  active: ActiveConnection,
  names: readonly string[],
): Promise<Map<string, KMSClient>> {
  const regions = new Set(names);
  regions.delete(active.connection.region);
  const clients = new Map<string, KMSClient>();
  for (const region of regions) clients.set(region, (await services.connections.forRegion(region)).connection.client);
  return clients;
}

/** The connection's Region and the other Regions shown, for pickers that offer keys of every Region shown. */
export async function shownActives(services: Services, active: ActiveConnection): Promise<ActiveConnection[]> {
  const shown = await services.connections.shownRegions();
  const others = shown.filter((r) => r !== active.connection.region);
  return [active, ...(await Promise.all(others.map((r) => services.connections.forRegion(r))))];
}
