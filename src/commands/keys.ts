// Key and tree commands of this first round: Refresh (invalidate the catalog, reconnect after a
// failure) and Enable Key (offered by the error wrapper for DisabledException, and on disabled keys).
import type { KeyCatalog } from '../kms/catalog';
import { keyLabel } from '../kms/keys';
import { keyOfNode } from '../views/nodes';
import type { Services } from './services';
import { UserFacingError } from './userError';

export async function refresh(services: Services): Promise<void> {
  const state = services.connections.state;
  if (state.status === 'connected') {
    state.catalog.invalidate();
    services.keysTree.refresh();
    services.aliasesTree.refresh();
  } else {
    await services.connections.reset(); // the trees reload on reset
  }
}

/** Enables a key given as a tree node, a key id or a key ARN. */
export async function enableKey(services: Services, target?: unknown): Promise<void> {
  const { connection, catalog } = await services.connections.get();
  const keyId = typeof target === 'string' ? target : (keyOfNode(target)?.arn ?? (await pickDisabledKey(services, catalog)));
  if (!keyId) return;
  const kms = await import('../kms/keyOperations');
  await kms.enableKey(connection.client, keyId);
  catalog.invalidateKey(keyId);
  services.keysTree.refresh();
  const known = await catalog.find(keyId).catch(() => undefined);
  services.log.info(`Enabled key ${keyId}.`);
  void services.prompter.message('info', `Enabled ${known ? keyLabel(known) : keyId}.`);
}

async function pickDisabledKey(services: Services, catalog: KeyCatalog): Promise<string | undefined> {
  const items = catalog.keys().then((keys) => {
    const disabled = keys.filter((k) => k.status === 'ok' && k.metadata.KeyState === 'Disabled' && k.metadata.KeyManager !== 'AWS');
    if (disabled.length === 0) throw new UserFacingError('There is no disabled customer managed key to enable.', { level: 'warning' });
    return disabled.map((k) => ({ label: keyLabel(k), description: k.aliases.length > 0 ? k.keyId : undefined, value: k.arn }));
  });
  return services.prompter.pick(items, { id: 'enableKey.key', title: 'KMS: Enable Key', placeholder: 'Choose the key to enable', matchOnDescription: true });
}
