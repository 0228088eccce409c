// Which key a command acts on: the tree node it was run on, a key id/ARN passed by another command,
// or one the user picks. Changing commands refuse AWS managed keys (the menus hide them too), and
// afterKeyChange refreshes only what changed: the key's catalog entry and its node (or one part).
import type { ActiveConnection } from '../connection/manager';
import { keyLabel, keyManagerKind, type CatalogKey } from '../kms/keys';
import { activeFor } from './regionTarget';
import { keyOfNode, type KeyFolderName } from './treeNodes';
import type { Services } from './services';
import { UserFacingError } from './userError';

export interface KeyTargetOptions {
  /** Prompt id and title of the key picker, e.g. "disableKey.key", "KMS: Disable Key". */
  id: string;
  title: string;
  /** Which keys the picker offers (and a passed key must satisfy); default: all. */
  accept?: (key: CatalogKey) => boolean;
  /** Words for "there is no key to …", e.g. "disable". */
  verb: string;
  /** True for actions that change the key: AWS managed keys are refused. */
  changes?: boolean;
  /** The Region to look in when the target names none (a key id passed with its Region). */
  region?: string;
}

export interface KeyTarget {
  active: ActiveConnection;
  key: CatalogKey;
}

export async function resolveKeyTarget(
  services: Services,
  target: unknown,
  options: KeyTargetOptions,
): Promise<KeyTarget | undefined> {
  // A node or key ARN of another Region: that Region's client and catalog.
  const active = await activeFor(services, target, options.region);
  const accept = (k: CatalogKey) =>
    (!options.changes || keyManagerKind(k) === 'customer') && (options.accept?.(k) ?? true);
  const listed = keyOfNode(target);
  // A key the tree shows before DescribeKey answered: the catalog describes it first.
  let key = listed?.status === 'pending' ? await active.catalog.find(listed.keyId) : listed;
  if (!key && typeof target === 'string' && target) key = await active.catalog.find(target);
  if (typeof target === 'string' && target && !key)
    throw new UserFacingError(`No key ${target} in this account and region (${active.connection.region}).`, {
      level: 'warning',
    });
  if (!key) {
    const items = active.catalog.keys().then((keys) => {
      const offered = keys.filter(accept);
      if (offered.length === 0)
        throw new UserFacingError(`There is no key you can ${options.verb}.`, { level: 'warning' });
      return offered.map((k) => ({
        label: keyLabel(k),
        description: k.aliases.length > 0 ? k.keyId : undefined,
        detail: pickDetail(k),
        value: k,
      }));
    });
    key = await services.prompter.pick(items, {
      id: options.id,
      title: options.title,
      placeholder: 'Choose a key',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!key) return undefined;
  }
  if (options.changes && keyManagerKind(key) === 'aws') {
    throw new UserFacingError(
      `${keyLabel(key)} is an AWS managed key: AWS manages it, so you cannot ${options.verb} it.`,
      { level: 'warning' },
    );
  }
  return { active, key };
}

/** The key changed: forget it in the catalog and re-render its node, or only `part` of it. */
export async function afterKeyChange(
  services: Services,
  { active, key }: KeyTarget,
  part?: KeyFolderName | 'rotation',
): Promise<void> {
  active.catalog.invalidateKey(key.keyId);
  await services.keysTree.refreshKey(active, key.keyId, part);
}

function pickDetail(k: CatalogKey): string | undefined {
  if (k.status !== 'ok') return 'Could not be described';
  return [k.metadata.KeyState, k.metadata.KeySpec, k.metadata.Description].filter(Boolean).join(' · ');
}
