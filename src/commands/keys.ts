// Key and tree commands of this first round: Refresh (invalidate the catalog, reconnect after a
// failure) and Enable Key (offered by the error wrapper for DisabledException, and on disabled keys).
import { keyLabel } from '../kms/keys';
import { loadKms } from '../kms/load';
import { afterKeyChange, resolveKeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';

export async function refresh(services: Services): Promise<void> {
  const state = services.connections.state;
  if (state.status === 'connected') {
    state.catalog.invalidate();
    // Every Region shown has a catalog of its own.
    for (const region of await services.connections.shownRegions())
      (await services.connections.forRegion(region)).catalog.invalidate();
    services.keysTree.refresh();
    services.aliasesTree.refresh();
  } else {
    await services.connections.reset(); // the trees reload on reset
  }
}

/** Enables a key given as a tree node, a key id or a key ARN (the error wrapper's "Enable key"), or a picked disabled key. */
export async function enableKey(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'enableKey.key',
    title: 'KMS: Enable Key',
    verb: 'enable',
    changes: true,
    accept: (k) => k.status === 'ok' && k.metadata.KeyState === 'Disabled',
  });
  if (!t) return;
  const kms = (await loadKms()).keyOperations;
  await withCancellableProgress(`Enabling ${keyLabel(t.key)}…`, (signal) =>
    kms.enableKey(t.active.connection.client, t.key.keyId, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Enabled key ${t.key.keyId}.`);
  void services.prompter.message('info', `Enabled ${keyLabel(t.key)}.`);
}
